/**
 * The kernels called with host arrays and read back to host arrays, so tests can compare
 * them with reference loops and the reference backend.
 */
import { hostStorage, type AdamStep, type FusedActivation, type MatmulSpec } from '@axon/tensor';
import type { WasmRuntime } from '../src/runtime/runtime.js';
import { matmul, type Epilogue, type ProductPath } from '../src/kernels/matmul.js';
import { adam } from '../src/kernels/adam.js';
import { activationGrad, binary, relu, sumRows } from '../src/kernels/elementwise.js';
import { sparseSoftmaxCrossEntropy, sparseSoftmaxCrossEntropyGrad } from '../src/kernels/softmax-cross-entropy.js';
import type { WasmBinaryOp } from '../src/kernels/codes.js';
import type { MatrixLayout } from '../src/kernels/broadcast.js';

const f32 = (values: Float32Array) => hostStorage('float32', values);

export const matmulValues = (
  runtime: WasmRuntime,
  a: Float32Array,
  b: Float32Array,
  spec: MatmulSpec,
  epilogue?: { bias?: Float32Array; activation: FusedActivation },
  path?: ProductPath,
): Float32Array => {
  const fused: Epilogue | undefined = epilogue && {
    activation: epilogue.activation,
    bias: epilogue.bias && f32(epilogue.bias),
  };
  return matmul(runtime, f32(a), f32(b), spec, fused, path).read();
};

export const adamValues = (
  runtime: WasmRuntime,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  step: AdamStep,
) => {
  const result = adam(runtime, f32(grad), f32(m), f32(v), step);
  return { direction: result.direction.read(), m: result.m.read(), v: result.v.read() };
};

export const activationGradValues = (
  runtime: WasmRuntime,
  activation: FusedActivation,
  dy: Float32Array,
  y: Float32Array,
): Float32Array => activationGrad(runtime, activation, f32(dy), f32(y)).read();

export const binaryValues = (
  runtime: WasmRuntime,
  op: WasmBinaryOp,
  layout: MatrixLayout,
  a: Float32Array,
  b: Float32Array,
): Float32Array => binary(runtime, op, layout, f32(a), f32(b)).read();

export const reluValues = (runtime: WasmRuntime, x: Float32Array): Float32Array => relu(runtime, f32(x)).read();

export const sumRowsValues = (runtime: WasmRuntime, x: Float32Array, rows: number, cols: number): Float32Array =>
  sumRows(runtime, f32(x), rows, cols).read();

export const sparseSoftmaxCrossEntropyValues = (
  runtime: WasmRuntime,
  logits: Float32Array,
  labels: Int32Array,
  rows: number,
  cols: number,
): Float32Array => sparseSoftmaxCrossEntropy(runtime, f32(logits), hostStorage('int32', labels), rows, cols).read();

export const sparseSoftmaxCrossEntropyGradValues = (
  runtime: WasmRuntime,
  logits: Float32Array,
  labels: Int32Array,
  dLoss: Float32Array,
  rows: number,
  cols: number,
): Float32Array =>
  sparseSoftmaxCrossEntropyGrad(runtime, f32(logits), hostStorage('int32', labels), f32(dLoss), rows, cols).read();
