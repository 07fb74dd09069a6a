import type { ConvActivation } from '../backend/backend.js';
import type { DType } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import { isRecorded } from '../autodiff/record.js';
import { fusedConv2dGeometry, fusedConv2dWith } from './conv.js';
import { outputShapeOf, pool2dGeometry, type Conv2DOptions, type Pair, type Pool2DOptions } from './conv-geometry.js';
import { backendOf, fromStorage, storageOn } from './operand.js';
import { maxPool2dWith } from './pool.js';

/** The max pooling {@link fusedConv2dMaxPool} applies: its window, and strides and padding as `maxPool2d` takes them. */
export interface MaxPoolOptions extends Pool2DOptions {
  readonly poolSize: Pair;
}

/**
 * A convolution layer followed by a max-pooling layer, in one kernel where the backend
 * has one: `maxPool2d(fusedConv2d(x, kernel, bias, activation, conv), pool.poolSize, pool)`,
 * bit for bit, and what runs on backends without the kernel. The kernel keeps the
 * convolution's output, the largest tensor of a small convnet's inference, in the
 * caches. It runs only when nothing differentiates the operands: under `grad` the two
 * ops run instead and record their exact gradients of every order, so the result is the
 * same either way.
 *
 * @example
 * ```ts
 * const pooled = fusedConv2dMaxPool(images, kernel, bias, 'relu', {}, { poolSize: 2 });
 * // [1000,28,28,1] * [3,3,1,32] → [1000,13,13,32], as maxPool2d(fusedConv2d(...), 2)
 * ```
 */
export const fusedConv2dMaxPool = <D extends DType>(
  x: Tensor<D>,
  kernel: Tensor<D>,
  bias: Tensor<D> | undefined,
  activation: ConvActivation,
  conv: Conv2DOptions,
  pool: MaxPoolOptions,
): Tensor<D> => {
  const g = fusedConv2dGeometry('fusedConv2dMaxPool', x, kernel, bias, conv);
  const pooled = pool2dGeometry('fusedConv2dMaxPool', outputShapeOf(g), pool.poolSize, pool);
  const inputs = bias === undefined ? [x, kernel] : [x, kernel, bias];
  if (!inputs.some(isRecorded)) {
    const backend = backendOf(...inputs);
    const fused = backend.fusedConv2dMaxPool?.(
      storageOn(x, backend),
      storageOn(kernel, backend),
      bias && storageOn(bias, backend),
      activation,
      g,
      pooled,
    );
    if (fused !== undefined) return fromStorage<D>(fused, outputShapeOf(pooled), backend);
  }
  return maxPool2dWith(fusedConv2dWith(x, kernel, bias, activation, g), pooled);
};
