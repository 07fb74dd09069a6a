import type { NdArray } from '../array/nd-array.js';
import type { Affine } from './affine.js';

/**
 * How pixels outside the image are read, as Keras's image layers name it:
 * `reflect` (d c b a | a b c d | d c b a), `wrap` (a b c d | a b c d | a b c d),
 * `nearest` (a a a a | a b c d | d d d d) or `constant` (k k k k | a b c d | k k k k).
 */
export type FillMode = 'reflect' | 'wrap' | 'nearest' | 'constant';

/** The fill modes, for option parsers. */
export const fillModes: readonly FillMode[] = ['reflect', 'wrap', 'nearest', 'constant'];

/** How a point between pixels is read: from the four around it, weighted, or from the closest. */
export type Interpolation = 'bilinear' | 'nearest';

/** The interpolations, for option parsers. */
export const interpolations: readonly Interpolation[] = ['bilinear', 'nearest'];

/** How {@link warpImages} reads the input. */
export interface Sampling {
  readonly fillMode: FillMode;
  /** The value outside the image with `fillMode: 'constant'`. */
  readonly fillValue: number;
  readonly interpolation: Interpolation;
}

/** Index `i` of an axis of `size` pixels after extending the axis by `mode`; -1 for the constant fill. */
const extend = (i: number, size: number, mode: FillMode): number => {
  if (i >= 0 && i < size) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'nearest':
      return i < 0 ? 0 : size - 1;
    case 'wrap':
      return ((i % size) + size) % size;
    case 'reflect': {
      const period = 2 * size;
      const m = ((i % period) + period) % period;
      return m < size ? m : period - 1 - m;
    }
  }
};

/** Where pixel (x, y) starts within an image, the image extended by `mode`; -1 for the constant fill. */
const pixelOffset = (x: number, y: number, width: number, height: number, channels: number, mode: FillMode): number => {
  const xi = extend(x, width, mode);
  const yi = extend(y, height, mode);
  return xi < 0 || yi < 0 ? -1 : (yi * width + xi) * channels;
};

/**
 * Resamples each image of a batch `[n, height, width]` or `[n, height, width, channels]`
 * through its own map from output pixel to input point (`maps[i]` for image `i`),
 * reading points between pixels by `sampling.interpolation` and points outside the
 * image by `sampling.fillMode`. A map that sends every pixel to itself returns the
 * values unchanged.
 *
 * @example
 * ```ts
 * const maps = Array.from({ length: images.shape[0] }, () => shiftBy(2, 0)); // every image 2 pixels right
 * warpImages(images, maps, { fillMode: 'constant', fillValue: 0, interpolation: 'bilinear' });
 * ```
 */
export const warpImages = (
  images: NdArray<Float32Array>,
  maps: readonly Affine[],
  sampling: Sampling,
): NdArray<Float32Array> => {
  const [n, height, width] = images.shape;
  const channels = images.shape.length === 4 ? images.shape[3] : 1;
  const source = images.values;
  const out = new Float32Array(source.length);
  const { fillMode, fillValue } = sampling;
  const nearest = sampling.interpolation === 'nearest';
  const rowSize = width * channels;
  const imageSize = height * rowSize;
  for (let img = 0; img < n; img++) {
    const map = maps[img];
    const a = map[0],
      b = map[1],
      c = map[2],
      d = map[3],
      e = map[4],
      f = map[5];
    const base = img * imageSize;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const sx = a * x + b * y + c;
        const sy = d * x + e * y + f;
        const o = base + y * rowSize + x * channels;
        if (nearest) {
          const at = pixelOffset(Math.round(sx), Math.round(sy), width, height, channels, fillMode);
          for (let ch = 0; ch < channels; ch++) out[o + ch] = at < 0 ? fillValue : source[base + at + ch];
          continue;
        }
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const fx = sx - x0;
        const fy = sy - y0;
        // Inside the image, the four neighbours are read directly; only the border pays for the fill mode.
        const inside = x0 >= 0 && y0 >= 0 && x0 < width - 1 && y0 < height - 1;
        const p00 = inside ? y0 * rowSize + x0 * channels : pixelOffset(x0, y0, width, height, channels, fillMode);
        const p01 = inside ? p00 + channels : pixelOffset(x0 + 1, y0, width, height, channels, fillMode);
        const p10 = inside ? p00 + rowSize : pixelOffset(x0, y0 + 1, width, height, channels, fillMode);
        const p11 = inside ? p10 + channels : pixelOffset(x0 + 1, y0 + 1, width, height, channels, fillMode);
        for (let ch = 0; ch < channels; ch++) {
          const v00 = p00 < 0 ? fillValue : source[base + p00 + ch];
          const v01 = p01 < 0 ? fillValue : source[base + p01 + ch];
          const v10 = p10 < 0 ? fillValue : source[base + p10 + ch];
          const v11 = p11 < 0 ? fillValue : source[base + p11 + ch];
          // At an exact pixel the other neighbours get weight 0, so an identity map returns the input exactly.
          const top = fx === 0 ? v00 : (1 - fx) * v00 + fx * v01;
          const bottom = fx === 0 ? v10 : (1 - fx) * v10 + fx * v11;
          out[o + ch] = fy === 0 ? top : (1 - fy) * top + fy * bottom;
        }
      }
    }
  }
  return { values: out, shape: images.shape };
};
