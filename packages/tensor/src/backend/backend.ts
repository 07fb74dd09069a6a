import type { DType, FloatDType, TypedArrayFor } from '../core/dtype.js';
import type { Shape } from '../core/shape.js';
import type { Storage } from './storage.js';

/** Element-wise functions of one float argument. */
export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'square'
  | 'sqrt'
  | 'reciprocal'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log1p'
  | 'sin'
  | 'cos'
  | 'erf'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'relu'
  | 'sigmoid'
  | 'tanh'
  | 'softplus'
  | 'gelu';

/** Element-wise arithmetic of two arguments, with broadcasting. */
export type ArithmeticOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';

/** Element-wise comparisons; their results are `bool` masks. */
export type CompareOp = 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual';

/** Any element-wise function of two arguments. */
export type BinaryOp = ArithmeticOp | CompareOp;

const compareOps: ReadonlySet<BinaryOp> = new Set<CompareOp>([
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
]);

/** True for the ops whose results are bool masks. */
export const isComparison = (op: BinaryOp): op is CompareOp => compareOps.has(op);

/** Reductions along one (middle) axis; `argmax`/`argmin` give `int32` indices. */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'argmax' | 'argmin';

/** Activations a fused dense kernel applies, each with a gradient computable from its output. */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/**
 * Activations a fused convolution applies: those whose result is the same whether the
 * biased sum is rounded to the dtype first or not, so fused and unfused agree bit for bit.
 */
export type ConvActivation = 'linear' | 'relu';

/**
 * A (batched) matrix product `C[b] = op(A[b]) · op(B[b])` where `op` transposes when
 * asked. Each operand is `batch` matrices stored contiguously, or one matrix reused for
 * every batch entry when its `...Batched` flag is false.
 */
export interface MatmulSpec {
  readonly batch: number;
  /** Rows of `op(A)` and of the result. */
  readonly m: number;
  /** Columns of `op(A)`, rows of `op(B)`. */
  readonly k: number;
  /** Columns of `op(B)` and of the result. */
  readonly n: number;
  /** A is stored `[k, m]` and used transposed. */
  readonly transposeA: boolean;
  /** B is stored `[n, k]` and used transposed. */
  readonly transposeB: boolean;
  readonly aBatched: boolean;
  readonly bBatched: boolean;
}

/**
 * Where a 2-D convolution or pooling window runs over a batch of NHWC images, computed
 * once by the op (see `conv2dGeometry`) and handed to every kernel of that op and of
 * its gradients. The input is `[batch, inHeight, inWidth, inChannels]`, the output
 * `[batch, outHeight, outWidth, outChannels]`, a convolution kernel
 * `[filterHeight, filterWidth, inChannels, outChannels]`.
 *
 * Output pixel `(oh, ow)` reads input rows `oh·strideHeight − padTop + kh·dilationHeight`
 * for `kh` in `0 .. filterHeight − 1` (columns alike); rows outside the input are
 * padding: zeros for convolutions and average pooling (which does not count them),
 * never the maximum for max pooling.
 */
export interface Conv2DGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  /** The kernel's output channels; for pooling, equal to `inChannels`. */
  readonly outChannels: number;
  /** The window's extent (the pool size, for pooling), before dilation. */
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  /** Steps between the window's taps; 1 for pooling. */
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  /** Padding rows above and columns to the left; `padBottom` and `padRight` complete the extent. */
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
}

/**
 * Hyper-parameters of one fused Adam step, with the bias corrections already folded in:
 * the direction is `(m · correction1) / (√(v · correction2) + epsilon)`. PyTorch's
 * placement of ε passes `1 / (1 - β1^t)` and `1 / (1 - β2^t)`; Keras's passes
 * `√(1 - β2^t) / (1 - β1^t)` and 1.
 */
export interface AdamStep {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Factor on the first moment. */
  readonly correction1: number;
  /** Factor on the second moment, under the square root. */
  readonly correction2: number;
}

/** The three outputs of a fused Adam step. */
export interface AdamResult {
  /** `(m · correction1) / (√(v · correction2) + epsilon)`: the update is minus the learning rate times it. */
  readonly direction: Storage;
  readonly m: Storage;
  readonly v: Storage;
}

/**
 * One stage of a fused optimizer update, applied element by element to the running
 * update `u`, which starts as the gradient; after the last stage the new parameter is
 * `p + u`. Each stage gives exactly what the ops of its `@axon/nn` transformation give
 * on float32 tensors (every op rounding to float32, scalars rounded to float32 first):
 *
 * - `scale`: `u = u · factor` (`mul(u, factor)`: scaling by `-learningRate` too).
 * - `addDecayedWeights`: `u = u + p · rate`.
 * - `adam`: the fused Adam kernel (`Backend.adam`) on `u` with its moments, `u` = its direction.
 * - `trace`: `t = u + t · decay`, then `u = t`, or `u + t · decay` with Nesterov.
 * - `rms`: `v = v · decay + u² · (1 - decay)`, `u = u / √(v + epsilon)`.
 * - `adagrad`: `s = s + u²`, `u = u / √(s + epsilon)`.
 */
export type UpdateStage =
  | { readonly kind: 'scale'; readonly factor: number }
  | { readonly kind: 'addDecayedWeights'; readonly rate: number }
  | { readonly kind: 'adam'; readonly step: AdamStep }
  | { readonly kind: 'trace'; readonly decay: number; readonly nesterov: boolean }
  | { readonly kind: 'rms'; readonly decay: number; readonly epsilon: number }
  | { readonly kind: 'adagrad'; readonly epsilon: number };

/** How many state tensors (slots) a stage reads and rewrites per parameter: Adam's two moments, one trace or sum. */
export const stageSlots = (stage: UpdateStage): number =>
  stage.kind === 'adam' ? 2 : stage.kind === 'scale' || stage.kind === 'addDecayedWeights' ? 0 : 1;

/** One parameter of a fused update: its values, its gradient, and its slots in stage order. */
export interface UpdateOperand {
  readonly param: Storage;
  readonly grad: Storage;
  readonly slots: readonly Storage[];
}

/** What a fused update gives per parameter: the new values and the new slots, in the same order. */
export interface UpdateResult {
  readonly param: Storage;
  readonly slots: readonly Storage[];
}

/**
 * Memory a backend manages itself, such as the wasm backend's, whose tensors live in
 * WebAssembly memory. The garbage collector frees such storage too, but only in full
 * collections, which a loop whose data lives outside the JavaScript heap triggers
 * rarely; code that knows when values die (a training step, `evaluate`) releases them
 * at once through these functions (see `withReleaseScope`).
 */
export interface ManagedMemory {
  /** Opens a scope: storage the backend allocates from now on is recorded in it. */
  openScope(): void;
  /**
   * Closes the innermost scope: releases the storage it recorded except that in `keep`,
   * which passes to the enclosing scope (or, with none, to the garbage collector).
   */
  closeScope(keep: ReadonlySet<Storage>): void;
  /** Releases one storage now; it must never be read again (the backend throws if it is). */
  release(storage: Storage): void;
}

/**
 * The kernels ops run on. Ops validate arguments, broadcast shapes and record gradients;
 * a backend only computes. Kernels never write to their inputs and always return new
 * storage (a backend may recycle its own scratch memory internally).
 *
 * All shapes passed in are valid and consistent; kernels need not re-check them.
 * Float kernels receive float storage of one dtype and return that dtype.
 */
export interface Backend {
  /** Short name shown to users: `js`, `wasm`, `gpu`. */
  readonly name: string;
  /** When inputs live on different backends, the op runs on the one with the highest priority. */
  readonly priority: number;
  /** Present when the backend manages its own memory; see {@link ManagedMemory}. */
  readonly memory?: ManagedMemory;

  /** Takes host values into this backend (copying where it must). */
  fromHost<D extends DType>(dtype: D, values: TypedArrayFor[D]): Storage<D>;
  /**
   * True when the backend's kernels take host storage of any kind as it is (they call
   * `read()`, or decode the rows they need of a `ByteCodedStorage`): a tensor then moves
   * to it without its values being read whole.
   */
  readonly takesHostStorage?: boolean;

  /** `op` applied to every element of float storage; the result has the input's dtype. */
  unary(op: UnaryOp, x: Storage): Storage;

  /** `out[i] = a[i] op b[i]` over `outShape`, broadcasting `aShape` and `bShape` into it. */
  binary(op: BinaryOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape): Storage;

  /** `out[i] = condition[i] ? a[i] : b[i]`, each broadcast into `outShape`. */
  where(
    condition: Storage<'bool'>,
    conditionShape: Shape,
    a: Storage,
    aShape: Shape,
    b: Storage,
    bShape: Shape,
    outShape: Shape,
  ): Storage;

  cast<D extends DType>(x: Storage, dtype: D): Storage<D>;

  /** Reduces `[outer, size, inner]` over its middle axis to `[outer, inner]`. */
  reduce(op: ReduceOp, x: Storage, outer: number, size: number, inner: number): Storage;

  matmul(a: Storage, b: Storage, spec: MatmulSpec): Storage;

  /** Permutes the axes of a tensor of `shape`: output axis `i` is input axis `perm[i]`. */
  transpose(x: Storage, shape: Shape, perm: readonly number[]): Storage;

  /** The box `begin .. begin + size` of a tensor of `shape`. */
  slice(x: Storage, shape: Shape, begin: readonly number[], size: Shape): Storage;

  /** Pads each axis with `[before, after]` copies of `value`. */
  pad(x: Storage, shape: Shape, paddings: readonly (readonly [number, number])[], value: number): Storage;

  /** Joins `[outer, sizes[i], inner]` blocks along their middle axis. */
  concat(xs: readonly Storage[], outer: number, sizes: readonly number[], inner: number): Storage;

  /** `out[o, j, i] = x[o, indices[j], i]` for `x` of `[outer, axisSize, inner]`. */
  gather(x: Storage, indices: Storage<'int32'>, outer: number, axisSize: number, inner: number): Storage;

  /** The adjoint of gather: sums rows of `updates` `[outer, n, inner]` into zeros of `[outer, axisSize, inner]`. */
  scatterAdd(updates: Storage, indices: Storage<'int32'>, outer: number, axisSize: number, inner: number): Storage;

  /** Rows of `depth` zeros with `onValue` at each index; indices outside `[0, depth)` give all zeros. */
  oneHot<D extends FloatDType>(indices: Storage<'int32'>, depth: number, dtype: D): Storage<D>;

  /** Softmax along the last axis of `[rows, cols]`, shifted by each row's max for stability. */
  softmax(x: Storage, rows: number, cols: number): Storage;

  /** Log-softmax along the last axis of `[rows, cols]`. */
  logSoftmax(x: Storage, rows: number, cols: number): Storage;

  /** Per-row `-log softmax(logits)[label]` for `[rows, cols]` logits and `rows` labels. */
  sparseSoftmaxCrossEntropy(logits: Storage, labels: Storage<'int32'>, rows: number, cols: number): Storage;

  /** Gradient of the above: `dLoss[r] * (softmax(logits[r]) - onehot(labels[r]))`. */
  sparseSoftmaxCrossEntropyGrad(
    logits: Storage,
    labels: Storage<'int32'>,
    dLoss: Storage,
    rows: number,
    cols: number,
  ): Storage;

  /** `activation(x · w + bias)` for `x` `[m, k]`, `w` `[k, n]`, bias `[n]` or none. */
  dense(
    x: Storage,
    w: Storage,
    bias: Storage | undefined,
    m: number,
    k: number,
    n: number,
    activation: FusedActivation,
  ): Storage;

  /** `dy * activation'(.)` written in terms of the activation's output `y`. */
  activationGrad(activation: FusedActivation, dy: Storage, y: Storage): Storage;

  /** One Adam moment update and step direction, in a single pass over the parameters. */
  adam(grad: Storage, m: Storage, v: Storage, step: AdamStep): AdamResult;

  /** 2-D convolution (cross-correlation, as in TensorFlow) of NHWC `x` with `kernel` `[fh, fw, in, out]`. */
  conv2d(x: Storage, kernel: Storage, geometry: Conv2DGeometry): Storage;

  /** The gradient of `conv2d` with respect to `x`, from the output's gradient `dy`: `[batch, inHeight, inWidth, inChannels]`. */
  conv2dBackpropInput(dy: Storage, kernel: Storage, geometry: Conv2DGeometry): Storage;

  /** The gradient of `conv2d` with respect to the kernel, from `x` and the output's gradient `dy`: `[fh, fw, in, out]`. */
  conv2dBackpropFilter(x: Storage, dy: Storage, geometry: Conv2DGeometry): Storage;

  /** Each window's maximum, per channel. */
  maxPool2d(x: Storage, geometry: Conv2DGeometry): Storage;

  /**
   * The gradient of `maxPool2d`: each `dy` element added to the first maximum of its
   * window of `x` (row-major order within the window, as TensorFlow), zeros elsewhere.
   */
  maxPool2dGrad(dy: Storage, x: Storage, geometry: Conv2DGeometry): Storage;

  /**
   * The adjoint of `maxPool2dGrad` in its `dy`: for each window of `x`, the element of
   * `values` (shaped like `x`) at the window's first maximum, shaped like the pooled output.
   */
  maxPool2dGradGrad(values: Storage, x: Storage, geometry: Conv2DGeometry): Storage;

  /** Each window's mean over its elements inside the input (padding is not counted), per channel. */
  avgPool2d(x: Storage, geometry: Conv2DGeometry): Storage;

  /** The gradient of `avgPool2d`: each `dy` element spread evenly over its window's in-bounds elements. */
  avgPool2dGrad(dy: Storage, geometry: Conv2DGeometry): Storage;

  /**
   * Optional: a whole optimizer step, `stages` applied to every parameter in one pass
   * over memory (one parallel job), bit for bit what the stages' ops give one by one.
   * Returns `undefined` when it cannot take these operands (a dtype it does not fuse);
   * the caller then runs the ops.
   */
  fusedUpdate?(stages: readonly UpdateStage[], operands: readonly UpdateOperand[]): readonly UpdateResult[] | undefined;

  /**
   * Optional: `activation(conv2d(x, kernel) + bias)` with the bias and activation applied
   * as the product's elements are finished (`bias` `[outChannels]` or none; `linear` or
   * `relu`, whose results equal the unfused ops' bit for bit). Returns `undefined` when
   * it cannot take these operands; the caller then runs the ops.
   */
  fusedConv2d?(
    x: Storage,
    kernel: Storage,
    bias: Storage | undefined,
    activation: ConvActivation,
    geometry: Conv2DGeometry,
  ): Storage | undefined;

  /**
   * Optional: `maxPool2d(activation(conv2d(x, kernel) + bias))` in one kernel, for
   * inference (`conv` the convolution's geometry, `pool` the pooling's over its output),
   * bit for bit what `fusedConv2d` and `maxPool2d` give one after the other on this
   * backend. Returns `undefined` when it cannot take these operands or this geometry;
   * the caller then runs the two ops.
   */
  fusedConv2dMaxPool?(
    x: Storage,
    kernel: Storage,
    bias: Storage | undefined,
    activation: ConvActivation,
    conv: Conv2DGeometry,
    pool: Conv2DGeometry,
  ): Storage | undefined;

  /**
   * Optional: inverted dropout in one pass, bit for bit what `dropout`'s ops give:
   * `x · scale` where `bernoulli(key, keep, shape)` is true, else 0 (`key` is the two
   * words of a `PRNGKey`, `scale` already in `x`'s dtype). Returns `undefined` when it
   * cannot take `x` (a dtype it does not fuse); the caller then runs the ops.
   */
  dropout?(x: Storage, key: readonly [number, number], keep: number, scale: number): Storage | undefined;
}
