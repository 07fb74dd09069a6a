import type { Conv2DGeometry } from '../backend/backend.js';
import type { DType } from '../core/dtype.js';
import { check, showShape } from '../core/error.js';
import type { Tensor } from '../core/tensor.js';
import { record } from '../autodiff/record.js';
import {
  checkWindowOperand,
  inputShapeOf,
  outputShapeOf,
  pool2dGeometry,
  type Pair,
  type Pool2DOptions,
} from './conv-geometry.js';
import { backendOf, fromStorage, requireFloat, storageOn } from './operand.js';
import { mean } from './reduction.js';

const poolGeometry = (op: string, x: Tensor, poolSize: Pair, options: Pool2DOptions): Conv2DGeometry => {
  requireFloat(op, x);
  return pool2dGeometry(op, x.shape, poolSize, options);
};

// Max pooling's ops: the pooling, its gradient (a scatter to each window's first
// maximum) and that gradient's adjoint (a gather from the same positions). The last two
// are linear in their first operand and each other's vector-Jacobian product; where
// the maxima sit is piecewise constant in `x`, so nothing flows back to `x` through them.

/** Max pooling of `x` over the windows of `g`, a geometry already checked against `x`. */
export const maxPool2dWith = <D extends DType>(x: Tensor<D>, g: Conv2DGeometry): Tensor<D> => {
  const backend = x.backend;
  const out = fromStorage<D>(backend.maxPool2d(x.storage, g), outputShapeOf(g), backend);
  return record(out, [x], (dy, _needed, [xi]) => [maxPool2dGrad(dy, xi, g)]);
};

/**
 * Max pooling over windows of `poolSize` of NHWC images, per channel (Keras's
 * `MaxPooling2D`; strides default to the pool size, padding to `'valid'`). The gradient
 * goes to the first maximum of each window in row-major order, as in TensorFlow and
 * PyTorch; a NaN counts as the maximum.
 *
 * @example
 * ```ts
 * maxPool2d(x, 2).shape; // [128,26,26,32] → [128,13,13,32]
 * ```
 */
export const maxPool2d = <D extends DType>(x: Tensor<D>, poolSize: Pair, options: Pool2DOptions = {}): Tensor<D> =>
  maxPool2dWith(x, poolGeometry('maxPool2d', x, poolSize, options));

/**
 * The gradient of `maxPool2d` for the pooled output's gradient `dy`: each element added
 * to the first maximum of its window of `x`. Differentiable in `dy` (through
 * {@link maxPool2dGradGrad}); its derivative in `x` is zero wherever it exists.
 *
 * @example
 * ```ts
 * const dx = maxPool2dGrad(dy, x, pool2dGeometry('maxPool2d', x.shape, 2)); // shaped like x
 * ```
 */
export const maxPool2dGrad = <D extends DType>(dy: Tensor<D>, x: Tensor<D>, geometry: Conv2DGeometry): Tensor<D> => {
  const g = geometry;
  checkWindowOperand('maxPool2dGrad', 'x', x, x.dtype, inputShapeOf(g));
  checkWindowOperand('maxPool2dGrad', 'dy', dy, x.dtype, outputShapeOf(g));
  const backend = backendOf(dy, x);
  const out = fromStorage<D>(
    backend.maxPool2dGrad(storageOn(dy, backend), storageOn(x, backend), g),
    inputShapeOf(g),
    backend,
  );
  return record(out, [dy, x], (c, needed, [, xi]) => [needed[0] ? maxPool2dGradGrad(c, xi, g) : undefined, undefined]);
};

/**
 * For each window of `x`, the element of `values` (shaped like `x`) at the window's
 * first maximum: the adjoint of {@link maxPool2dGrad} in its `dy`, as TensorFlow's
 * `MaxPoolGradGrad`. `maxPool2dGradGrad(x, x, g)` is `maxPool2d` itself.
 *
 * @example
 * ```ts
 * const picked = maxPool2dGradGrad(values, x, pool2dGeometry('maxPool2d', x.shape, 2)); // shaped like the pooled x
 * ```
 */
export const maxPool2dGradGrad = <D extends DType>(
  values: Tensor<D>,
  x: Tensor<D>,
  geometry: Conv2DGeometry,
): Tensor<D> => {
  const g = geometry;
  checkWindowOperand('maxPool2dGradGrad', 'x', x, x.dtype, inputShapeOf(g));
  checkWindowOperand('maxPool2dGradGrad', 'values', values, x.dtype, inputShapeOf(g));
  const backend = backendOf(values, x);
  const out = fromStorage<D>(
    backend.maxPool2dGradGrad(storageOn(values, backend), storageOn(x, backend), g),
    outputShapeOf(g),
    backend,
  );
  return record(out, [values, x], (c, needed, [, xi]) => [needed[0] ? maxPool2dGrad(c, xi, g) : undefined, undefined]);
};

// Average pooling is linear; its gradient is its adjoint, and the adjoint's adjoint is
// the pooling again.

const avgPool2dWith = <D extends DType>(x: Tensor<D>, g: Conv2DGeometry): Tensor<D> => {
  const backend = x.backend;
  const out = fromStorage<D>(backend.avgPool2d(x.storage, g), outputShapeOf(g), backend);
  return record(out, [x], (dy) => [avgPool2dGrad(dy, g)]);
};

/**
 * Average pooling over windows of `poolSize` of NHWC images, per channel (Keras's
 * `AveragePooling2D`; strides default to the pool size, padding to `'valid'`). With
 * `'same'` padding a window's mean is over its elements inside the image only, as in
 * TensorFlow.
 *
 * @example
 * ```ts
 * avgPool2d(x, 2, { padding: 'same' }).shape; // [1,5,5,3] → [1,3,3,3]
 * ```
 */
export const avgPool2d = <D extends DType>(x: Tensor<D>, poolSize: Pair, options: Pool2DOptions = {}): Tensor<D> =>
  avgPool2dWith(x, poolGeometry('avgPool2d', x, poolSize, options));

/**
 * The gradient of `avgPool2d` for the pooled output's gradient `dy`: each element shared
 * evenly among its window's in-bounds elements. Linear; its own gradient is `avgPool2d`.
 *
 * @example
 * ```ts
 * const dx = avgPool2dGrad(dy, pool2dGeometry('avgPool2d', x.shape, 2)); // shaped like x
 * ```
 */
export const avgPool2dGrad = <D extends DType>(dy: Tensor<D>, geometry: Conv2DGeometry): Tensor<D> => {
  const g = geometry;
  checkWindowOperand('avgPool2dGrad', 'dy', dy, dy.dtype, outputShapeOf(g));
  const backend = dy.backend;
  const out = fromStorage<D>(backend.avgPool2dGrad(dy.storage, g), inputShapeOf(g), backend);
  return record(out, [dy], (c) => [avgPool2dWith(c, g)]);
};

/**
 * The mean over each image's pixels, per channel: `[batch, height, width, channels]` to
 * `[batch, channels]` (Keras's `GlobalAveragePooling2D`).
 *
 * @example
 * ```ts
 * globalAvgPool2d(features).shape; // [128,7,7,64] → [128,64]
 * ```
 */
export const globalAvgPool2d = <D extends DType>(x: Tensor<D>): Tensor<D> => {
  requireFloat('globalAvgPool2d', x);
  check(
    x.rank === 4,
    'globalAvgPool2d',
    () => `expects NHWC input [batch, height, width, channels], got ${showShape(x.shape)}`,
  );
  return mean(x, [1, 2]);
};
