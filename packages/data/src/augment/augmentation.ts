import { foldIn, normal, uniform, type PRNGKey } from '@axon/tensor';
import type { NdArray } from '../array/nd-array.js';
import { compose, identity, scaleViewBy, shiftBy, turnBy, type Affine } from './affine.js';
import { factorRange, type Factor } from './factor.js';
import { warpImages, type FillMode, type Interpolation } from './warp.js';

/**
 * A random transform of a batch of images: a pure function of a PRNG key and the
 * images, so the same key gives the same batch. Each image gets its own random draw.
 */
export type Augmentation = (key: PRNGKey, images: NdArray<Float32Array>) => NdArray<Float32Array>;

/** Keras's RandomTranslation: shifts by a random fraction of the height and of the width. */
export interface TranslationOptions {
  /** Fraction of the height; positive moves the content down. Within [-1, 1]. */
  readonly heightFactor: Factor;
  /** Fraction of the width; positive moves the content right. Within [-1, 1]. */
  readonly widthFactor: Factor;
}

/** Keras's RandomRotation: turns by a random fraction of a full turn. */
export interface RotationOptions {
  /** Fraction of 2π; positive turns counter-clockwise. 0.05 is up to 18°. */
  readonly factor: Factor;
}

/** Keras's RandomZoom: scales the view by `1 + factor`, vertically and horizontally. */
export interface ZoomOptions {
  /** Positive zooms out (the content shrinks), negative zooms in. Above -1. */
  readonly heightFactor: Factor;
  /** As `heightFactor`, across; unless stated, the vertical zoom, keeping the aspect ratio. */
  readonly widthFactor?: Factor;
}

/** Keras's GaussianNoise: adds zero-mean normal noise to every value. */
export interface NoiseOptions {
  /** The noise's standard deviation, in the images' units (0.1 is a tenth of white for inputs scaled to [0, 1]). */
  readonly stddev: number;
}

/**
 * What {@link imageAugmentation} does to each image; leave a transform out to skip it.
 * Fill and interpolation have Keras's defaults.
 */
export interface ImageAugmentationOptions {
  readonly translation?: TranslationOptions;
  readonly rotation?: RotationOptions;
  readonly zoom?: ZoomOptions;
  readonly noise?: NoiseOptions;
  /** How points outside the image read; `'reflect'` unless stated. */
  readonly fillMode?: FillMode;
  /** The value outside the image with `fillMode: 'constant'`; 0 unless stated. */
  readonly fillValue?: number;
  /** `'bilinear'` unless stated. */
  readonly interpolation?: Interpolation;
}

/** A per-image random amount: uniform in its range. */
const within = ([lower, upper]: readonly [number, number], u: number): number => lower + u * (upper - lower);

/** Which key each random amount is drawn from, so adding a transform never changes the others' draws. */
const draws = { shiftY: 0, shiftX: 1, angle: 2, zoomY: 3, zoomX: 4, noise: 5 } as const;

/** The checked ranges of the geometric transforms; absent ones are skipped. */
interface GeometryRanges {
  readonly shiftY?: readonly [number, number];
  readonly shiftX?: readonly [number, number];
  readonly angle?: readonly [number, number];
  readonly zoomY?: readonly [number, number];
  readonly zoomX?: readonly [number, number];
}

/**
 * Each image's map from output pixel to input point: translation's, then rotation's,
 * then zoom's, so the content is zoomed, turned, then moved.
 */
const randomMaps = (key: PRNGKey, count: number, width: number, height: number, ranges: GeometryRanges): Affine[] => {
  const u = (draw: number): Float64Array => uniform(foldIn(key, draw), [count], { dtype: 'float64' }).values;
  const [shiftY, shiftX, angle, zoomY, zoomX] = [
    u(draws.shiftY),
    u(draws.shiftX),
    u(draws.angle),
    u(draws.zoomY),
    u(draws.zoomX),
  ];
  return Array.from({ length: count }, (_, i) => {
    const shift =
      ranges.shiftY && ranges.shiftX
        ? shiftBy(within(ranges.shiftX, shiftX[i]) * width, within(ranges.shiftY, shiftY[i]) * height)
        : identity;
    const turn = ranges.angle ? turnBy(2 * Math.PI * within(ranges.angle, angle[i]), width, height) : identity;
    const zy = ranges.zoomY && 1 + within(ranges.zoomY, zoomY[i]);
    const zoom =
      zy === undefined
        ? identity
        : scaleViewBy(ranges.zoomX ? 1 + within(ranges.zoomX, zoomX[i]) : zy, zy, width, height);
    return compose(compose(shift, turn), zoom);
  });
};

/** `x` plus normal noise of `stddev` drawn from `key`, every value its own draw. */
const addNoise = (key: PRNGKey, x: NdArray<Float32Array>, stddev: number): NdArray<Float32Array> => {
  const noise = normal(foldIn(key, draws.noise), [x.values.length], { stddev }).values;
  return { values: x.values.map((v, i) => v + noise[i]), shape: x.shape };
};

const checkStddev = (stddev: number): void => {
  if (!(Number.isFinite(stddev) && stddev >= 0))
    throw new RangeError(`noise.stddev: expected a non-negative number, got ${stddev}`);
};

/**
 * Random translation, rotation, zoom and noise, as Keras's preprocessing layers
 * (RandomTranslation, RandomRotation, RandomZoom, GaussianNoise) with the same factor
 * conventions, for batches `[n, height, width]` or `[n, height, width, channels]`.
 * The geometric transforms of an image are composed into one map and the image is
 * resampled once (the content zoomed, turned, then moved), so stacking them does not
 * blur more than one does; noise is added last. Options are checked here, once, with
 * a `RangeError` naming the option.
 *
 * @example
 * ```ts
 * const augment = imageAugmentation({
 *   translation: { heightFactor: 0.1, widthFactor: 0.1 },
 *   rotation: { factor: 0.03 },
 *   zoom: { heightFactor: 0.1 },
 *   noise: { stddev: 0.05 },
 * });
 * const batch = augment(foldIn(key(0), step), images); // [128, 28, 28], a different variant per image
 * ```
 */
export const imageAugmentation = (options: ImageAugmentationOptions): Augmentation => {
  const zoomBounds = { min: -1, max: Infinity, openMin: true };
  const ranges: GeometryRanges = {
    shiftY:
      options.translation &&
      factorRange('translation.heightFactor', options.translation.heightFactor, { min: -1, max: 1 }),
    shiftX:
      options.translation &&
      factorRange('translation.widthFactor', options.translation.widthFactor, { min: -1, max: 1 }),
    angle: options.rotation && factorRange('rotation.factor', options.rotation.factor),
    zoomY: options.zoom && factorRange('zoom.heightFactor', options.zoom.heightFactor, zoomBounds),
    zoomX:
      options.zoom?.widthFactor === undefined
        ? undefined
        : factorRange('zoom.widthFactor', options.zoom.widthFactor, zoomBounds),
  };
  const stddev = options.noise?.stddev ?? 0;
  checkStddev(stddev);
  const fillValue = options.fillValue ?? 0;
  if (!Number.isFinite(fillValue)) throw new RangeError(`fillValue: expected a finite number, got ${fillValue}`);
  const sampling = {
    fillMode: options.fillMode ?? 'reflect',
    fillValue,
    interpolation: options.interpolation ?? 'bilinear',
  } as const;
  const geometric = ranges.shiftY !== undefined || ranges.angle !== undefined || ranges.zoomY !== undefined;
  return (key, images) => {
    const [n, height, width] = images.shape;
    if (images.shape.length !== 3 && images.shape.length !== 4) {
      throw new RangeError(
        `imageAugmentation: expects images [n, height, width] or [n, height, width, channels], got [${images.shape.join(',')}]`,
      );
    }
    const warped = geometric ? warpImages(images, randomMaps(key, n, width, height, ranges), sampling) : images;
    return stddev === 0 ? warped : addNoise(key, warped, stddev);
  };
};

/**
 * Keras's RandomTranslation alone.
 *
 * @example
 * ```ts
 * randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 })(key(0), images);
 * ```
 */
export const randomTranslation = (
  translation: TranslationOptions,
  sampling: Pick<ImageAugmentationOptions, 'fillMode' | 'fillValue' | 'interpolation'> = {},
): Augmentation => imageAugmentation({ translation, ...sampling });

/**
 * Keras's RandomRotation alone.
 *
 * @example
 * ```ts
 * randomRotation({ factor: 0.05 })(key(0), images); // up to 18° either way
 * ```
 */
export const randomRotation = (
  rotation: RotationOptions,
  sampling: Pick<ImageAugmentationOptions, 'fillMode' | 'fillValue' | 'interpolation'> = {},
): Augmentation => imageAugmentation({ rotation, ...sampling });

/**
 * Keras's RandomZoom alone.
 *
 * @example
 * ```ts
 * randomZoom({ heightFactor: [-0.2, 0.2] })(key(0), images);
 * ```
 */
export const randomZoom = (
  zoom: ZoomOptions,
  sampling: Pick<ImageAugmentationOptions, 'fillMode' | 'fillValue' | 'interpolation'> = {},
): Augmentation => imageAugmentation({ zoom, ...sampling });

/**
 * Keras's GaussianNoise alone, for inputs of any shape `[n, ...]`; the same noise as
 * {@link imageAugmentation} draws for the same key.
 *
 * @example
 * ```ts
 * gaussianNoise({ stddev: 0.1 })(key(0), images);
 * ```
 */
export const gaussianNoise = (noise: NoiseOptions): Augmentation => {
  checkStddev(noise.stddev);
  return (key, x) => (noise.stddev === 0 ? x : addNoise(key, x, noise.stddev));
};
