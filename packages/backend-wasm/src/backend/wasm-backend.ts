import { hostStorage, jsBackend, type Backend, type BinaryOp, type Storage } from '@axon/tensor';
import type { WasmRuntime } from '../runtime/runtime.js';
import { matmulValues } from '../kernels/matmul.js';
import { activationGradValues, binaryValues, reluValues, sumRowsValues } from '../kernels/elementwise.js';
import { adamValues } from '../kernels/adam.js';
import { sparseSoftmaxCrossEntropyGradValues, sparseSoftmaxCrossEntropyValues } from '../kernels/softmax-cross-entropy.js';
import type { WasmBinaryOp } from '../kernels/codes.js';
import { matrixLayout } from '../kernels/broadcast.js';

const isFloat32 = (s: Storage): s is Storage<'float32'> => s.dtype === 'float32';

const wasmBinaryOps: ReadonlySet<BinaryOp> = new Set<WasmBinaryOp>(['add', 'sub', 'mul']);
const isWasmBinaryOp = (op: BinaryOp): op is WasmBinaryOp => wasmBinaryOps.has(op);

const float32 = (values: Float32Array): Storage<'float32'> => hostStorage('float32', values);

/**
 * The WebAssembly backend over a started runtime: float32 matmul, dense, their
 * gradients' element-wise kernels, the bias-gradient sum, the fused cross-entropy and
 * Adam run in wasm; every other kernel, and every float64 one, is the reference
 * backend's. Values stay in host arrays, so tensors move freely between this backend
 * and `jsBackend`.
 *
 * @example
 * ```ts
 * const backend = wasmBackend(await startWasmRuntime({ threads: 2 }));
 * const y = dense(tensor(x, { backend }), w, b, 'relu');
 * ```
 */
export const wasmBackend = (runtime: WasmRuntime): Backend => ({
  ...jsBackend,
  name: 'wasm',
  priority: 1,
  unary: (op, x) => (op === 'relu' && isFloat32(x) ? float32(reluValues(runtime, x.read())) : jsBackend.unary(op, x)),
  binary: (op, a, aShape, b, bShape, outShape) => {
    if (isWasmBinaryOp(op) && isFloat32(a) && isFloat32(b)) {
      const layout = matrixLayout(aShape, bShape, outShape);
      if (layout !== undefined) return float32(binaryValues(runtime, op, layout, a.read(), b.read()));
    }
    return jsBackend.binary(op, a, aShape, b, bShape, outShape);
  },
  reduce: (op, x, outer, size, inner) =>
    op === 'sum' && outer === 1 && isFloat32(x) ? float32(sumRowsValues(runtime, x.read(), size, inner)) : jsBackend.reduce(op, x, outer, size, inner),
  matmul: (a, b, spec) =>
    isFloat32(a) && isFloat32(b) ? float32(matmulValues(runtime, a.read(), b.read(), spec)) : jsBackend.matmul(a, b, spec),
  dense: (x, w, bias, m, k, n, activation) => {
    if (!isFloat32(x) || !isFloat32(w) || (bias !== undefined && !isFloat32(bias))) return jsBackend.dense(x, w, bias, m, k, n, activation);
    const spec = { batch: 1, m, k, n, transposeA: false, transposeB: false, aBatched: false, bBatched: false };
    return float32(matmulValues(runtime, x.read(), w.read(), spec, { bias: bias?.read(), activation }));
  },
  activationGrad: (activation, dy, y) =>
    isFloat32(dy) && isFloat32(y) ? float32(activationGradValues(runtime, activation, dy.read(), y.read())) : jsBackend.activationGrad(activation, dy, y),
  sparseSoftmaxCrossEntropy: (logits, labels, rows, cols) =>
    isFloat32(logits)
      ? float32(sparseSoftmaxCrossEntropyValues(runtime, logits.read(), labels.read(), rows, cols))
      : jsBackend.sparseSoftmaxCrossEntropy(logits, labels, rows, cols),
  sparseSoftmaxCrossEntropyGrad: (logits, labels, dLoss, rows, cols) =>
    isFloat32(logits) && isFloat32(dLoss)
      ? float32(sparseSoftmaxCrossEntropyGradValues(runtime, logits.read(), labels.read(), dLoss.read(), rows, cols))
      : jsBackend.sparseSoftmaxCrossEntropyGrad(logits, labels, dLoss, rows, cols),
  adam: (grad, m, v, step) => {
    if (!isFloat32(grad) || !isFloat32(m) || !isFloat32(v)) return jsBackend.adam(grad, m, v, step);
    const result = adamValues(runtime, grad.read(), m.read(), v.read(), step);
    return { direction: float32(result.direction), m: float32(result.m), v: float32(result.v) };
  },
});
