import type { WasmRuntime } from '../runtime/runtime.js';

/** Per-row `logSumExp(logits[r]) - logits[r, labels[r]]` for `[rows, cols]` logits. */
export const sparseSoftmaxCrossEntropyValues = (
  runtime: WasmRuntime,
  logits: Float32Array,
  labels: Int32Array,
  rows: number,
  cols: number,
): Float32Array => {
  const { arena, kernels } = runtime;
  arena.reset();
  const logitsAt = arena.putFloats(logits);
  const labelsAt = arena.putInts(labels);
  const out = arena.reserve(rows * 4);
  kernels.sparseSoftmaxCrossEntropy(rows, cols, logitsAt, labelsAt, out);
  return arena.takeFloats(out, rows);
};

/** Its gradient: `dLoss[r] · (softmax(logits[r]) - onehot(labels[r]))`. */
export const sparseSoftmaxCrossEntropyGradValues = (
  runtime: WasmRuntime,
  logits: Float32Array,
  labels: Int32Array,
  dLoss: Float32Array,
  rows: number,
  cols: number,
): Float32Array => {
  const { arena, kernels } = runtime;
  arena.reset();
  const logitsAt = arena.putFloats(logits);
  const labelsAt = arena.putInts(labels);
  const dLossAt = arena.putFloats(dLoss);
  const out = arena.reserve(rows * cols * 4);
  kernels.sparseSoftmaxCrossEntropyGrad(rows, cols, logitsAt, labelsAt, dLossAt, out);
  return arena.takeFloats(out, rows * cols);
};
