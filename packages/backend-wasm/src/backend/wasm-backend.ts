import {
  contiguousRun,
  hostStorage,
  jsBackend,
  type Backend,
  type BinaryOp,
  type ManagedMemory,
  type Storage,
} from '@axon/tensor';
import type { WasmRuntime } from '../runtime/runtime.js';
import { isResidentDType, type ResidentDType } from '../runtime/resident.js';
import { matmul } from '../kernels/matmul.js';
import { activationGrad, binary, relu, sumRows } from '../kernels/elementwise.js';
import { adam } from '../kernels/adam.js';
import { update, type UpdateStorage } from '../kernels/update.js';
import { sparseSoftmaxCrossEntropy, sparseSoftmaxCrossEntropyGrad } from '../kernels/softmax-cross-entropy.js';
import { gather, sliceRun } from '../kernels/rows.js';
import type { WasmBinaryOp } from '../kernels/codes.js';
import { matrixLayout } from '../kernels/broadcast.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../kernels/conv.js';
import { convMaxPool, convMaxPoolApplies } from '../kernels/conv-pool.js';
import { pool } from '../kernels/pool.js';
import { dropout } from '../kernels/dropout.js';

const isFloat32 = (s: Storage): s is Storage<'float32'> => s.dtype === 'float32';
const isResident = (s: Storage): s is Storage<ResidentDType> => isResidentDType(s.dtype);

const wasmBinaryOps: ReadonlySet<BinaryOp> = new Set<WasmBinaryOp>(['add', 'sub', 'mul']);
const isWasmBinaryOp = (op: BinaryOp): op is WasmBinaryOp => wasmBinaryOps.has(op);

/**
 * The WebAssembly backend over a started runtime. Float32 tensors that its kernels make
 * live in the wasm memory (see `WasmStorage`) and stay there from kernel to kernel;
 * host values given to it (`fromHost`) are uploaded the first time a kernel needs them,
 * and gathered or sliced rows of them go straight into wasm memory. Matmul, dense, the
 * gradients' element-wise kernels, the bias-gradient sum, the fused cross-entropy,
 * Adam, whole fused optimizer steps, convolutions and pooling (with their gradients) run in wasm; every other kernel, and every float64 one, is the reference
 * backend's, reading the values out.
 *
 * @example
 * ```ts
 * const backend = wasmBackend(await startWasmRuntime({ threads: 2 }));
 * const y = dense(tensor(x, { backend }), w, b, 'relu');
 * ```
 */
export const wasmBackend = (runtime: WasmRuntime): Backend => {
  const { memory } = runtime;
  const managed: ManagedMemory = {
    openScope: () => memory.openScope(),
    closeScope: (keep) => memory.closeScope(keep),
    release: (storage) => memory.release(storage),
  };
  return {
    ...jsBackend,
    name: 'wasm',
    priority: 1,
    memory: managed,
    // Kept on the host until a kernel needs it whole, so a data set given to this backend
    // costs no copy: its batches are gathered from it straight into wasm memory.
    fromHost: (dtype, values) => hostStorage(dtype, values),
    takesHostStorage: true,
    unary: (op, x) => (op === 'relu' && isFloat32(x) ? relu(runtime, x) : jsBackend.unary(op, x)),
    binary: (op, a, aShape, b, bShape, outShape) => {
      if (isWasmBinaryOp(op) && isFloat32(a) && isFloat32(b)) {
        const layout = matrixLayout(aShape, bShape, outShape);
        if (layout !== undefined) return binary(runtime, op, layout, a, b);
      }
      return jsBackend.binary(op, a, aShape, b, bShape, outShape);
    },
    reduce: (op, x, outer, size, inner) =>
      op === 'sum' && outer === 1 && isFloat32(x)
        ? sumRows(runtime, x, size, inner)
        : jsBackend.reduce(op, x, outer, size, inner),
    matmul: (a, b, spec) => (isFloat32(a) && isFloat32(b) ? matmul(runtime, a, b, spec) : jsBackend.matmul(a, b, spec)),
    dense: (x, w, bias, m, k, n, activation) => {
      if (!isFloat32(x) || !isFloat32(w) || (bias !== undefined && !isFloat32(bias)))
        return jsBackend.dense(x, w, bias, m, k, n, activation);
      const spec = { batch: 1, m, k, n, transposeA: false, transposeB: false, aBatched: false, bBatched: false };
      return matmul(runtime, x, w, spec, { bias, activation });
    },
    activationGrad: (activation, dy, y) =>
      isFloat32(dy) && isFloat32(y)
        ? activationGrad(runtime, activation, dy, y)
        : jsBackend.activationGrad(activation, dy, y),
    slice: (x, shape, begin, size) => {
      const run = isResident(x) ? contiguousRun(shape, begin, size) : undefined;
      return run !== undefined && isResident(x)
        ? sliceRun(runtime, x, run[0], run[1])
        : jsBackend.slice(x, shape, begin, size);
    },
    gather: (x, indices, outer, axisSize, inner) =>
      isResident(x)
        ? gather(runtime, x, indices, outer, axisSize, inner)
        : jsBackend.gather(x, indices, outer, axisSize, inner),
    sparseSoftmaxCrossEntropy: (logits, labels, rows, cols) =>
      isFloat32(logits)
        ? sparseSoftmaxCrossEntropy(runtime, logits, labels, rows, cols)
        : jsBackend.sparseSoftmaxCrossEntropy(logits, labels, rows, cols),
    sparseSoftmaxCrossEntropyGrad: (logits, labels, dLoss, rows, cols) =>
      isFloat32(logits) && isFloat32(dLoss)
        ? sparseSoftmaxCrossEntropyGrad(runtime, logits, labels, dLoss, rows, cols)
        : jsBackend.sparseSoftmaxCrossEntropyGrad(logits, labels, dLoss, rows, cols),
    adam: (grad, m, v, step) =>
      isFloat32(grad) && isFloat32(m) && isFloat32(v)
        ? adam(runtime, grad, m, v, step)
        : jsBackend.adam(grad, m, v, step),
    conv2d: (x, kernel, g) =>
      isFloat32(x) && isFloat32(kernel) ? conv2d(runtime, x, kernel, g) : jsBackend.conv2d(x, kernel, g),
    conv2dBackpropInput: (dy, kernel, g) =>
      isFloat32(dy) && isFloat32(kernel)
        ? conv2dBackpropInput(runtime, dy, kernel, g)
        : jsBackend.conv2dBackpropInput(dy, kernel, g),
    conv2dBackpropFilter: (x, dy, g) =>
      isFloat32(x) && isFloat32(dy)
        ? conv2dBackpropFilter(runtime, x, dy, g)
        : jsBackend.conv2dBackpropFilter(x, dy, g),
    maxPool2d: (x, g) => (isFloat32(x) ? pool(runtime, 'maxPool', x, undefined, g) : jsBackend.maxPool2d(x, g)),
    maxPool2dGrad: (dy, x, g) =>
      isFloat32(dy) && isFloat32(x) ? pool(runtime, 'maxPoolGrad', dy, x, g) : jsBackend.maxPool2dGrad(dy, x, g),
    maxPool2dGradGrad: (values, x, g) =>
      isFloat32(values) && isFloat32(x)
        ? pool(runtime, 'maxPoolGradGrad', values, x, g)
        : jsBackend.maxPool2dGradGrad(values, x, g),
    avgPool2d: (x, g) => (isFloat32(x) ? pool(runtime, 'avgPool', x, undefined, g) : jsBackend.avgPool2d(x, g)),
    avgPool2dGrad: (dy, g) =>
      isFloat32(dy) ? pool(runtime, 'avgPoolGrad', dy, undefined, g) : jsBackend.avgPool2dGrad(dy, g),
    fusedUpdate: (stages, operands) => {
      const float32 = operands.every(
        ({ param, grad, slots }) => isFloat32(param) && isFloat32(grad) && slots.every(isFloat32),
      );
      return float32 ? update(runtime, stages, operands as readonly UpdateStorage[]) : undefined;
    },
    fusedConv2d: (x, kernel, bias, activation, g) =>
      isFloat32(x) && isFloat32(kernel) && (bias === undefined || isFloat32(bias))
        ? conv2d(runtime, x, kernel, g, { bias, activation })
        : undefined,
    fusedConv2dMaxPool: (x, kernel, bias, activation, conv, pool) =>
      isFloat32(x) &&
      isFloat32(kernel) &&
      (bias === undefined || isFloat32(bias)) &&
      convMaxPoolApplies(runtime, conv, pool, { activation })
        ? convMaxPool(runtime, x, kernel, conv, pool, { bias, activation })
        : undefined,
    dropout: (x, key, keep, scale) => (isFloat32(x) ? dropout(runtime, x, key, keep, scale) : undefined),
  };
};
