import type { AdamStep, FusedActivation } from '../backend/backend.js';
import type { DType, FloatDType } from '../core/dtype.js';
import { check, showShape } from '../core/error.js';
import type { Tensor } from '../core/tensor.js';
import { isRecorded, record } from '../autodiff/record.js';
import { activationGrad } from './activation.js';
import { mul, sub } from './arithmetic.js';
import { matmul } from './matmul.js';
import { expandDims, reshape } from './manipulation.js';
import { backendOf, floatStorageOn, fromStorage, requireFloat, requireInt, storageOn } from './operand.js';
import { sum } from './reduction.js';
import { softmax } from './softmax.js';

/**
 * A fully connected layer in one fused kernel: `activation(x · kernel + bias)` for `x`
 * of `[..., k]`, `kernel` `[k, n]` and `bias` `[n]` (or none). The gradient rule is
 * fused as well: `dz = dy * activation'(y)`, then `dx = dz · kernelᵀ`,
 * `dkernel = xᵀ · dz`, `dbias = sum(dz)`; `dx` is skipped when `x` is data.
 *
 * @example
 * ```ts
 * const hidden = dense(x, params.kernel, params.bias, 'relu');
 * ```
 */
export const dense = <D extends DType>(
  x: Tensor<D>,
  kernel: Tensor<D>,
  bias?: Tensor<D>,
  activation: FusedActivation = 'linear',
): Tensor<D> => {
  requireFloat('dense', x);
  const [k, n] = kernel.shape;
  check(
    kernel.rank === 2 && x.rank >= 1 && x.shape[x.rank - 1] === k && kernel.dtype === x.dtype,
    'dense',
    () =>
      `input ${x.dtype}${showShape(x.shape)} does not fit kernel ${kernel.dtype}${showShape(kernel.shape)}: the last axis of the input must equal the kernel's first`,
  );
  check(
    bias === undefined || (bias.rank === 1 && bias.shape[0] === n && bias.dtype === x.dtype),
    'dense',
    () =>
      `bias ${bias?.dtype}${showShape(bias?.shape ?? [])} does not fit kernel ${showShape(kernel.shape)}: expected ${x.dtype}[${n}]`,
  );
  const rows = reshape(x, [x.size / Math.max(k, 1), k]);
  const m = rows.shape[0];
  const inputs = bias === undefined ? [rows, kernel] : [rows, kernel, bias];
  const backend = backendOf(...inputs);
  const storage = backend.dense(
    storageOn(rows, backend),
    storageOn(kernel, backend),
    bias && storageOn(bias, backend),
    m,
    k,
    n,
    activation,
  );
  const out = fromStorage<D>(storage, [m, n], backend);
  const traced = record(out, inputs, (g, needed, [xi, wi], y) => {
    const dz = activationGrad(activation, g, y);
    return [
      needed[0] ? matmul(dz, wi, { transposeB: true }) : undefined,
      needed[1] ? matmul(xi, dz, { transposeA: true }) : undefined,
      needed[2] ? sum(dz, 0) : undefined,
    ];
  });
  return reshape(traced, [...x.shape.slice(0, -1), n]);
};

/**
 * Per-example cross-entropy between `softmax(logits)` and integer class `labels`, in
 * one fused, stable step: `logSumExp(logits) - logits[label]`. Never takes the log of
 * a probability rounded to 0. Its gradient is `softmax(logits) - oneHot(labels)`.
 *
 * @param logits `[batch, classes]` float scores.
 * @param labels `[batch]` int32 class indices in `[0, classes)`.
 * @returns `[batch]` losses.
 */
export const sparseSoftmaxCrossEntropy = <D extends DType>(logits: Tensor<D>, labels: Tensor): Tensor<D> => {
  requireFloat('sparseSoftmaxCrossEntropy', logits);
  requireInt('sparseSoftmaxCrossEntropy', 'labels', labels);
  check(
    logits.rank === 2 && labels.rank === 1 && labels.shape[0] === logits.shape[0],
    'sparseSoftmaxCrossEntropy',
    () =>
      `logits ${showShape(logits.shape)} and labels ${showShape(labels.shape)} must be [batch, classes] and [batch]`,
  );
  const [rows, cols] = logits.shape;
  const bad = (labels as Tensor<'int32'>).values.find((label) => label < 0 || label >= cols);
  check(
    bad === undefined,
    'sparseSoftmaxCrossEntropy',
    () => `label ${bad} is outside the ${cols} classes [0, ${cols - 1}]`,
  );
  const backend = backendOf(logits, labels);
  const labelStorage = storageOn(labels as Tensor<'int32'>, backend);
  const out = fromStorage<D>(
    backend.sparseSoftmaxCrossEntropy(storageOn(logits, backend), labelStorage, rows, cols),
    [rows],
    backend,
  );
  return record(out, [logits], (g, _needed, [l]) => [sparseSoftmaxCrossEntropyGrad(l, labels, g)]);
};

/**
 * The gradient of {@link sparseSoftmaxCrossEntropy} with respect to its logits,
 * `dLoss[r] · (softmax(logits[r]) - oneHot(labels[r]))`, in one fused kernel. An op with
 * its own gradient (built from `softmax`), so second derivatives of the loss are exact.
 */
const sparseSoftmaxCrossEntropyGrad = <D extends DType>(
  logits: Tensor<D>,
  labels: Tensor,
  dLoss: Tensor<D>,
): Tensor<D> => {
  const [rows, cols] = logits.shape;
  const backend = backendOf(logits, labels, dLoss);
  const storage = backend.sparseSoftmaxCrossEntropyGrad(
    storageOn(logits, backend),
    storageOn(labels as Tensor<'int32'>, backend),
    floatStorageOn(dLoss, backend),
    rows,
    cols,
  );
  return record(fromStorage<D>(storage, logits.shape, backend), [logits, dLoss], (g, needed, [l, d]) => {
    const p = softmax(l);
    // With respect to the logits: softmax's VJP applied to g · dLoss.
    const h = mul(g, expandDims(d, -1));
    return [
      needed[0] ? mul(p, sub(h, sum(mul(h, p), -1, { keepDims: true }))) : undefined,
      needed[1] ? sum(mul(g, sub(p, oneHot(labels, cols, l.dtype as FloatDType))), -1) : undefined,
    ];
  });
};

/**
 * One-hot rows: `[...indices.shape, depth]` with 1 at each index and 0 elsewhere
 * (indices outside `[0, depth)` give a row of zeros, as in TensorFlow).
 */
export const oneHot = <D extends 'float32' | 'float64' = 'float32'>(
  indices: Tensor,
  depth: number,
  dtype: D = 'float32' as D,
): Tensor<D> => {
  requireInt('oneHot', 'indices', indices);
  check(Number.isInteger(depth) && depth > 0, 'oneHot', () => `depth must be a positive integer, got ${depth}`);
  const storage = indices.backend.oneHot((indices as Tensor<'int32'>).storage, depth, dtype);
  return fromStorage<D>(storage, [...indices.shape, depth], indices.backend);
};

/** The tensors a fused Adam step produces. */
export interface AdamUpdate<D extends DType> {
  /** `(m · correction1) / (√(v · correction2) + epsilon)` (see `AdamStep`): multiply by the learning rate and subtract. */
  readonly direction: Tensor<D>;
  readonly m: Tensor<D>;
  readonly v: Tensor<D>;
}

/**
 * One Adam moment update and step direction for a tensor of gradients, in one pass over
 * memory. Not differentiable: inside `grad` it throws rather than return a step that
 * silently carries no gradient. The optimizers in @axon/nn build on this.
 */
export const adamStep = <D extends DType>(
  grad: Tensor<D>,
  m: Tensor<D>,
  v: Tensor<D>,
  step: AdamStep,
): AdamUpdate<D> => {
  requireFloat('adamStep', grad);
  check(
    grad.size === m.size && grad.size === v.size && grad.dtype === m.dtype && grad.dtype === v.dtype,
    'adamStep',
    () =>
      `gradient ${grad.dtype}${showShape(grad.shape)} and moments ${m.dtype}${showShape(m.shape)}, ${v.dtype}${showShape(v.shape)} differ`,
  );
  check(
    ![grad, m, v].some(isRecorded),
    'adamStep',
    () =>
      'is not differentiable, and its inputs are being differentiated by grad; build the update from ops (sub, mul, sqrt, div) to differentiate through it',
  );
  const backend = backendOf(grad, m, v);
  const result = backend.adam(storageOn(grad, backend), storageOn(m, backend), storageOn(v, backend), step);
  return {
    direction: fromStorage<D>(result.direction, grad.shape, backend),
    m: fromStorage<D>(result.m, grad.shape, backend),
    v: fromStorage<D>(result.v, grad.shape, backend),
  };
};
