/**
 * @axon/tensor: immutable n-dimensional arrays, NumPy-style ops, reverse-mode
 * gradients and a pluggable compute backend.
 *
 * @example
 * ```ts
 * import { tensor, matmul, relu, sum, grad } from '@axon/tensor';
 *
 * const w = tensor([[0.5, -1], [2, 0.25]]);
 * const f = (w: Tensor) => sum(relu(matmul(tensor([[1, 2]]), w)));
 * grad(f)(w).toArray(); // [[1, 0], [2, 0]]
 * ```
 */
export type { DType, FloatDType, TypedArray, TypedArrayFor } from './core/dtype.js';
export { TensorError } from './core/error.js';
export { broadcastShapes, sizeOf, type Shape } from './core/shape.js';
export { Tensor, type FloatTensor, type NestedArray } from './core/tensor.js';

export type {
  AdamResult,
  AdamStep,
  ArithmeticOp,
  Backend,
  BinaryOp,
  CompareOp,
  Conv2DGeometry,
  ConvActivation,
  FusedActivation,
  ManagedMemory,
  MatmulSpec,
  ReduceOp,
  UnaryOp,
  UpdateOperand,
  UpdateResult,
  UpdateStage,
} from './backend/backend.js';
export { isComparison, stageSlots } from './backend/backend.js';
export { contiguousRun } from './backend/js/layout.js';
export { HostStorage, hostStorage, type Storage } from './backend/storage.js';
export { ByteCodedStorage } from './backend/byte-coded-storage.js';
export { jsBackend } from './backend/js/index.js';

export {
  arange,
  byteCoded,
  eye,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  scalar,
  tensor,
  zeros,
  zerosLike,
  type CreateOptions,
  type InputArray,
  type NestedValues,
  type TensorOptions,
} from './ops/creation.js';
export { toBackend } from './ops/move.js';
export type { TensorLike } from './ops/operand.js';
export { add, div, maximum, minimum, mul, neg, pow, sub } from './ops/arithmetic.js';
export {
  abs,
  ceil,
  cos,
  erf,
  exp,
  expm1,
  floor,
  log,
  log1p,
  reciprocal,
  round,
  sign,
  sin,
  sqrt,
  square,
} from './ops/unary.js';
export { elu, gelu, leakyRelu, relu, sigmoid, softplus, tanh } from './ops/activation.js';
export { equal, greater, greaterEqual, less, lessEqual, notEqual, where } from './ops/compare.js';
export { isFinite, isNaN } from './ops/predicate.js';
export { cast } from './ops/cast.js';
export { argmax, argmin, max, mean, min, sum, type ReduceOptions } from './ops/reduction.js';
export { matmul, type MatmulOptions } from './ops/matmul.js';
export {
  broadcastTo,
  concat,
  expandDims,
  gather,
  pad,
  reshape,
  slice,
  squeeze,
  stack,
  transpose,
} from './ops/manipulation.js';
export { logSoftmax, logSumExp, softmax } from './ops/softmax.js';
export { fusedUpdate, type FusedUpdateInput, type FusedUpdateOutput } from './ops/fused-update.js';
export {
  conv2dGeometry,
  pool2dGeometry,
  type Conv2DOptions,
  type Padding,
  type Pair,
  type Pool2DOptions,
} from './ops/conv-geometry.js';
export { conv2d, conv2dBackpropFilter, conv2dBackpropInput, fusedConv2d } from './ops/conv.js';
export { fusedConv2dMaxPool, type MaxPoolOptions } from './ops/conv-pool.js';
export { avgPool2d, avgPool2dGrad, globalAvgPool2d, maxPool2d, maxPool2dGrad, maxPool2dGradGrad } from './ops/pool.js';
export { adamStep, dense, oneHot, sparseSoftmaxCrossEntropy, type AdamUpdate } from './ops/fused.js';
export { dropout } from './ops/dropout.js';

export { grad, stopGradient, valueAndGrad, valueAndGradWithAux, type ValueAndGrad } from './autodiff/grad.js';
export { backendsIn, releaseTensors, tensorsIn, withReleaseScope } from './memory/release-scope.js';
export { treeEntries, treeLeaves, treeMap, treeUnflatten, treeZipWith, type TensorTree } from './tree/tree.js';

export { foldIn, key, randomBits, split, type PRNGKey } from './random/key.js';
export {
  bernoulli,
  normal,
  permutation,
  permutationValues,
  randint,
  truncatedNormal,
  uniform,
  type RandomOptions,
} from './random/distributions.js';
