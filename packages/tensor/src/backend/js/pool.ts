import type { Conv2DGeometry } from '../backend.js';
import { allocateLike } from '../../core/dtype.js';

type FloatArray = Float32Array | Float64Array;

/**
 * Calls `visit(outputOffset, inputOffset)` for every in-bounds tap of every output
 * pixel, in the window's row-major order; offsets are where the pixels' channels start.
 */
const forEachWindowTap = (
  g: Conv2DGeometry,
  visit: (outputOffset: number, inputOffset: number, firstTap: boolean) => void,
): void => {
  const { inHeight, inWidth, inChannels, outHeight, outWidth } = g;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const top = oy * g.strideHeight - g.padTop;
      for (let ox = 0; ox < outWidth; ox++) {
        const left = ox * g.strideWidth - g.padLeft;
        const outputOffset = ((b * outHeight + oy) * outWidth + ox) * inChannels;
        let firstTap = true;
        for (let kh = 0; kh < g.filterHeight; kh++) {
          const iy = top + kh * g.dilationHeight;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kw = 0; kw < g.filterWidth; kw++) {
            const ix = left + kw * g.dilationWidth;
            if (ix < 0 || ix >= inWidth) continue;
            visit(outputOffset, ((b * inHeight + iy) * inWidth + ix) * inChannels, firstTap);
            firstTap = false;
          }
        }
      }
    }
  }
};

/**
 * For every output element, the index in `x` of its window's first maximum (row-major
 * within the window, as TensorFlow routes max-pool gradients); a NaN counts as the
 * maximum, so it propagates. Every window holds at least one in-bounds element:
 * TensorFlow's padding is always smaller than the window.
 */
const firstMaxima = (x: FloatArray, g: Conv2DGeometry): Int32Array => {
  const channels = g.inChannels;
  const indices = new Int32Array(g.batch * g.outHeight * g.outWidth * channels);
  const best = new Float64Array(channels);
  forEachWindowTap(g, (out, src, firstTap) => {
    for (let c = 0; c < channels; c++) {
      const v = x[src + c];
      const b = best[c];
      if (firstTap || v > b || (v !== v && b === b)) {
        best[c] = v;
        indices[out + c] = src + c;
      }
    }
  });
  return indices;
};

/** Each window's maximum per channel. */
export const maxPool2dValues = (x: FloatArray, g: Conv2DGeometry): FloatArray => maxPool2dGradGradValues(x, x, g);

/** `dx`: each `dy` element added to its window's first maximum. */
export const maxPool2dGradValues = (dy: FloatArray, x: FloatArray, g: Conv2DGeometry): FloatArray => {
  const indices = firstMaxima(x, g);
  const dx = allocateLike(dy, x.length);
  for (let i = 0; i < indices.length; i++) dx[indices[i]] += dy[i];
  return dx;
};

/** For each window of `x`, the element of `values` at its first maximum. */
export const maxPool2dGradGradValues = (values: FloatArray, x: FloatArray, g: Conv2DGeometry): FloatArray => {
  const indices = firstMaxima(x, g);
  const out = allocateLike(values, indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]];
  return out;
};

/** How many in-bounds elements each output pixel's window holds (padding is not counted, as TensorFlow). */
const windowCounts = (g: Conv2DGeometry): Int32Array => {
  const counts = new Int32Array(g.batch * g.outHeight * g.outWidth);
  forEachWindowTap(g, (out) => void counts[out / g.inChannels]++);
  return counts;
};

/** Each window's mean over its in-bounds elements, per channel. */
export const avgPool2dValues = (x: FloatArray, g: Conv2DGeometry): FloatArray => {
  const channels = g.inChannels;
  const sums = new Float64Array(g.batch * g.outHeight * g.outWidth * channels);
  forEachWindowTap(g, (out, src) => {
    for (let c = 0; c < channels; c++) sums[out + c] += x[src + c];
  });
  const counts = windowCounts(g);
  const y = allocateLike(x, sums.length);
  for (let i = 0; i < sums.length; i++) y[i] = sums[i] / counts[Math.floor(i / channels)];
  return y;
};

/** `dx`: each `dy` element divided evenly among its window's in-bounds elements. */
export const avgPool2dGradValues = (dy: FloatArray, g: Conv2DGeometry): FloatArray => {
  const channels = g.inChannels;
  const counts = windowCounts(g);
  const sums = new Float64Array(g.batch * g.inHeight * g.inWidth * channels);
  forEachWindowTap(g, (out, dst) => {
    const count = counts[out / channels];
    for (let c = 0; c < channels; c++) sums[dst + c] += dy[out + c] / count;
  });
  const dx = allocateLike(dy, sums.length);
  dx.set(sums);
  return dx;
};
