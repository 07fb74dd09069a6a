import type { Storage } from '@axon/tensor';
import type { WasmRuntime } from '../runtime/runtime.js';
import type { WasmStorage } from '../runtime/resident.js';

/** Per-row `logSumExp(logits[r]) - logits[r, labels[r]]` for `[rows, cols]` logits. */
export const sparseSoftmaxCrossEntropy = (
  runtime: WasmRuntime,
  logits: Storage<'float32'>,
  labels: Storage<'int32'>,
  rows: number,
  cols: number,
): WasmStorage<'float32'> => {
  const { memory, kernels } = runtime;
  const out = memory.allocate('float32', rows);
  kernels.sparseSoftmaxCrossEntropy(rows, cols, memory.addressOf(logits), memory.addressOf(labels), out.address);
  return out;
};

/** Its gradient: `dLoss[r] · (softmax(logits[r]) - onehot(labels[r]))`. */
export const sparseSoftmaxCrossEntropyGrad = (
  runtime: WasmRuntime,
  logits: Storage<'float32'>,
  labels: Storage<'int32'>,
  dLoss: Storage<'float32'>,
  rows: number,
  cols: number,
): WasmStorage<'float32'> => {
  const { memory, kernels } = runtime;
  const out = memory.allocate('float32', rows * cols);
  kernels.sparseSoftmaxCrossEntropyGrad(
    rows,
    cols,
    memory.addressOf(logits),
    memory.addressOf(labels),
    memory.addressOf(dLoss),
    out.address,
  );
  return out;
};
