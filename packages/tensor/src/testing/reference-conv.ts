import type { Tensor } from '../core/tensor.js';
import type { Conv2DOptions, Pair, Padding, Pool2DOptions } from '../ops/conv-geometry.js';
import * as T from '../index.js';

// Convolution and pooling composed from recorded ops (pad → windows by gather →
// multiply → reduce), as tinygrad builds them: slow, but their values and gradients
// follow from ops that are checked on their own, so they are the oracle the kernels
// and the hand-written vector-Jacobian products are compared with. The padding rule is
// written out again here rather than taken from `conv2dGeometry`, so the oracle does
// not share that code's mistakes.

const pairOf = (value: Pair | undefined, fallback: number): readonly [number, number] =>
  value === undefined ? [fallback, fallback] : typeof value === 'number' ? [value, value] : value;

/** Output extent and padding before/after along one axis, by TensorFlow's rule. */
const axis = (
  size: number,
  window: number,
  stride: number,
  dilation: number,
  padding: Padding,
): [number, number, number] => {
  const span = (window - 1) * dilation + 1;
  if (padding === 'valid') return [Math.floor((size - span) / stride) + 1, 0, 0];
  const out = Math.ceil(size / stride);
  const total = Math.max(0, (out - 1) * stride + span - size);
  return [out, Math.floor(total / 2), total - Math.floor(total / 2)];
};

interface Windowing {
  readonly window: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: Padding;
}

/**
 * Every window of NHWC `x`, padded with `fill`: `[batch, outHeight, outWidth,
 * windowHeight, windowWidth, channels]`, gathered from the padded image.
 */
const windowsOf = (x: Tensor, w: Windowing, fill: number): Tensor => {
  const [batch, height, width, channels] = x.shape;
  const [outHeight, top, bottom] = axis(height, w.window[0], w.strides[0], w.dilation[0], w.padding);
  const [outWidth, left, right] = axis(width, w.window[1], w.strides[1], w.dilation[1], w.padding);
  const padded = T.pad(
    x,
    [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ],
    fill,
  );
  const paddedWidth = width + left + right;
  const indices: number[] = [];
  for (let oy = 0; oy < outHeight; oy++) {
    for (let ox = 0; ox < outWidth; ox++) {
      for (let kh = 0; kh < w.window[0]; kh++) {
        for (let kw = 0; kw < w.window[1]; kw++) {
          indices.push((oy * w.strides[0] + kh * w.dilation[0]) * paddedWidth + ox * w.strides[1] + kw * w.dilation[1]);
        }
      }
    }
  }
  const flat = T.reshape(padded, [batch, (height + top + bottom) * paddedWidth, channels]);
  const at = T.tensor(Int32Array.from(indices), {
    dtype: 'int32',
    shape: [outHeight, outWidth, w.window[0], w.window[1]],
  });
  return T.gather(flat, at, 1);
};

/**
 * `conv2d` as a composite of recorded ops: each window of `x` times the kernel, summed.
 *
 * @example
 * ```ts
 * referenceConv2d(x, kernel, { strides: 2, padding: 'same' }); // what conv2d must give
 * ```
 */
export const referenceConv2d = (x: Tensor, kernel: Tensor, options: Conv2DOptions = {}): Tensor => {
  const windows = windowsOf(
    x,
    {
      window: [kernel.shape[0], kernel.shape[1]],
      strides: pairOf(options.strides, 1),
      dilation: pairOf(options.dilation, 1),
      padding: options.padding ?? 'valid',
    },
    0,
  );
  return T.sum(T.mul(T.reshape(windows, [...windows.shape, 1]), kernel), [3, 4, 5]);
};

const poolWindowing = (poolSize: Pair, options: Pool2DOptions): Windowing => {
  const window = pairOf(poolSize, 1);
  return {
    window,
    strides: options.strides === undefined ? window : pairOf(options.strides, 1),
    dilation: [1, 1],
    padding: options.padding ?? 'valid',
  };
};

/**
 * `avgPool2d` as a composite: window sums divided by the number of in-bounds elements
 * (the same windows taken over ones padded with zeros).
 *
 * @example
 * ```ts
 * referenceAvgPool2d(x, 3, { strides: 2, padding: 'same' });
 * ```
 */
export const referenceAvgPool2d = (x: Tensor, poolSize: Pair, options: Pool2DOptions = {}): Tensor => {
  const w = poolWindowing(poolSize, options);
  const counts = T.sum(windowsOf(T.onesLike(T.stopGradient(x)), w, 0), [3, 4]);
  return T.div(T.sum(windowsOf(x, w, 0), [3, 4]), counts);
};

/**
 * `maxPool2d` as a composite: each window's first maximum (by `argmax`, whose ties go
 * to the first index) selected with `where`, so the gradient follows the same
 * first-maximum rule that the max-pool kernels document.
 *
 * @example
 * ```ts
 * referenceMaxPool2d(x, 2);
 * ```
 */
export const referenceMaxPool2d = (x: Tensor, poolSize: Pair, options: Pool2DOptions = {}): Tensor => {
  const w = poolWindowing(poolSize, options);
  const windows = windowsOf(x, w, -Infinity);
  const [batch, outHeight, outWidth, wh, ww, channels] = windows.shape;
  const taps = T.reshape(windows, [batch, outHeight, outWidth, wh * ww, channels]);
  const first = T.transpose(T.oneHot(T.argmax(taps, 3), wh * ww), [0, 1, 2, 4, 3]);
  return T.sum(T.where(T.equal(first, 1), taps, 0), 3);
};
