import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { GrayImage } from '../image/gray-image.js';
import { toGrayscale } from '../image/grayscale.js';
import type { RgbaImage } from '../image/rgba-image.js';

/** Why a picture cannot be read as a digit: it shows nothing (one line for the user). */
export interface BlankImage {
  readonly kind: 'blank';
  readonly message: string;
}

/** The side of an MNIST image, in pixels. */
export const mnistSide = 28;
/** The side of the box MNIST fits each digit into before centring it. */
const digitBox = 20;
/**
 * Where MNIST puts a digit's centre of mass, in continuous coordinates (pixel i spans
 * [i, i + 1)): on pixel 14, not at the field's geometric centre 14.0. Over the test
 * set the centres average 14.50 ± 0.29 on both axes.
 */
const massCentre = 14.5;
/** Below this much contrast between the background and the brightest pixel, there is no digit to see. */
const minimumContrast = 0.1;
/** Pixels brighter than this (after stretching the contrast to [0, 1]) count as part of the digit for cropping. */
const inkThreshold = 0.05;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function borderOf({ width, height, pixels }: GrayImage): number[] {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(pixels[x], pixels[(height - 1) * width + x]);
  for (let y = 1; y < height - 1; y++) border.push(pixels[y * width], pixels[y * width + width - 1]);
  return border;
}

/**
 * Light ink on a dark background, the background at 0 and the brightest ink at 1: the
 * image is inverted if its border is light on average, then its contrast is stretched
 * from the border's median grey to the brightest pixel.
 */
function normalizeContrast(image: GrayImage): E.Either<BlankImage, Float64Array> {
  const border = borderOf(image);
  const lightBackground = border.reduce((a, b) => a + b, 0) / border.length > 0.5;
  const ink = Float64Array.from(image.pixels, (v) => (lightBackground ? 1 - v : v));
  const background = median(borderOf({ ...image, pixels: ink }));
  const brightest = ink.reduce((a, b) => Math.max(a, b), 0);
  if (brightest - background < minimumContrast) {
    return E.left({ kind: 'blank', message: 'the image shows nothing to classify (it is all one shade)' });
  }
  return E.right(ink.map((v) => Math.min(1, Math.max(0, (v - background) / (brightest - background)))));
}

/** The smallest rectangle holding every ink pixel: [x0, y0, x1, y1), in pixels. */
function inkBounds(ink: Float64Array, width: number): [number, number, number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  ink.forEach((v, i) => {
    if (v <= inkThreshold) return;
    const x = i % width;
    const y = (i - x) / width;
    [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x + 1), Math.max(y1, y + 1)];
  });
  return [x0, y0, x1, y1];
}

/** The source pixels one destination pixel covers: the first index and each one's share. */
interface Coverage {
  readonly first: number;
  readonly shares: readonly number[];
}

/**
 * One axis of an area resampling: for each destination pixel d, the source pixels s it
 * covers and their shares, when source coordinate u lands at `offset + scale * u`. The
 * shares sum to 1 where the destination pixel lies wholly over the source, less at
 * its edges.
 */
function coverage(sourceLength: number, scale: number, offset: number): Coverage[] {
  return Array.from({ length: mnistSide }, (_, d) => {
    const from = (d - offset) / scale;
    const to = (d + 1 - offset) / scale;
    const first = Math.max(0, Math.floor(from));
    const shares: number[] = [];
    for (let s = first; s < Math.min(sourceLength, Math.ceil(to)); s++)
      shares.push((Math.min(to, s + 1) - Math.max(from, s)) * scale);
    return { first, shares };
  });
}

/**
 * Prepares a greyscale picture of a digit the way MNIST's digits were prepared, so a
 * model trained on MNIST can read it: light ink on black (inverted when the background
 * is light), cropped to the digit, scaled with area averaging so its longer side is 20
 * pixels (keeping its proportions), and placed in a 28×28 field with its centre of
 * mass on pixel (14, 14). Returns the 784 pixels, row-major, in [0, 1].
 *
 * A picture of one shade (less than 10% contrast) is refused as {@link BlankImage}.
 *
 * @example
 * ```ts
 * mnistInputFromGray({ width: 100, height: 100, pixels }); // right(Float32Array(784) […])
 * ```
 */
export function mnistInputFromGray(image: GrayImage): E.Either<BlankImage, Float32Array> {
  return pipe(
    normalizeContrast(image),
    E.map((ink) => {
      const [x0, y0, x1, y1] = inkBounds(ink, image.width);
      const [width, height] = [x1 - x0, y1 - y0];
      let [mass, massX, massY] = [0, 0, 0];
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const v = ink[(y0 + y) * image.width + x0 + x];
          mass += v;
          massX += v * (x + 0.5);
          massY += v * (y + 0.5);
        }
      }
      // Area resampling keeps the centre of mass, so placing it by the source's
      // centre of mass centres the result in one step, at sub-pixel precision.
      const scale = digitBox / Math.max(width, height);
      const columns = coverage(width, scale, massCentre - (scale * massX) / mass);
      const rows = coverage(height, scale, massCentre - (scale * massY) / mass);
      // Resample along x, then along y: each source pixel is read about once.
      const resampledRows = Array.from({ length: height }, (_, y) =>
        columns.map(({ first, shares }) =>
          shares.reduce((sum, share, k) => sum + share * ink[(y0 + y) * image.width + x0 + first + k], 0),
        ),
      );
      const out = new Float32Array(mnistSide * mnistSide);
      rows.forEach(({ first, shares }, Y) => {
        for (let X = 0; X < mnistSide; X++) {
          const sum = shares.reduce((total, share, k) => total + share * resampledRows[first + k][X], 0);
          out[Y * mnistSide + X] = Math.min(1, sum);
        }
      });
      return out;
    }),
  );
}

/**
 * Prepares an RGBA picture of a digit as an MNIST input: {@link toGrayscale} (a
 * transparent canvas reads as a contrasting backdrop), then {@link mnistInputFromGray}.
 * A canvas's `ImageData` is such a picture.
 *
 * @example
 * ```ts
 * const pixels = mnistInputFromRgba(canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height));
 * // right(Float32Array(784) […]): light ink on black, centred as in MNIST
 * ```
 */
export const mnistInputFromRgba = (image: RgbaImage): E.Either<BlankImage, Float32Array> =>
  mnistInputFromGray(toGrayscale(image));
