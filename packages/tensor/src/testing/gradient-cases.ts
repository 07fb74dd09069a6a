import type { Backend, FusedActivation } from '../backend/backend.js';
import type { Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import * as T from '../index.js';
import { assertGradients, type GradientCheckOptions } from './check-gradients.js';
import type { ParityCase } from './parity.js';

/** An element-wise op, and the input range where its derivative is smooth. */
export interface UnaryGradientCase {
  readonly name: string;
  readonly op: (x: Tensor) => Tensor;
  readonly lo: number;
  readonly hi: number;
  /** Inputs are pushed out of `(-gap, gap)`, away from a kink at 0. */
  readonly gap: number;
}

/** Every differentiable element-wise op, for gradient checks in any dtype on any backend. */
export const unaryGradientCases: readonly UnaryGradientCase[] = [
  { name: 'neg', op: T.neg, lo: -2, hi: 2, gap: 0 },
  { name: 'abs', op: T.abs, lo: -2, hi: 2, gap: 0.05 },
  { name: 'square', op: T.square, lo: -2, hi: 2, gap: 0 },
  { name: 'sqrt', op: T.sqrt, lo: 0.2, hi: 3, gap: 0 },
  { name: 'reciprocal', op: T.reciprocal, lo: 0.3, hi: 3, gap: 0 },
  { name: 'exp', op: T.exp, lo: -2, hi: 2, gap: 0 },
  { name: 'expm1', op: T.expm1, lo: -2, hi: 2, gap: 0 },
  { name: 'log', op: T.log, lo: 0.2, hi: 3, gap: 0 },
  { name: 'log1p', op: T.log1p, lo: -0.5, hi: 3, gap: 0 },
  { name: 'sin', op: T.sin, lo: -3, hi: 3, gap: 0 },
  { name: 'cos', op: T.cos, lo: -3, hi: 3, gap: 0 },
  { name: 'erf', op: T.erf, lo: -2.5, hi: 2.5, gap: 0 },
  { name: 'relu', op: T.relu, lo: -2, hi: 2, gap: 0.05 },
  { name: 'sigmoid', op: T.sigmoid, lo: -4, hi: 4, gap: 0 },
  { name: 'tanh', op: T.tanh, lo: -3, hi: 3, gap: 0 },
  { name: 'softplus', op: T.softplus, lo: -4, hi: 4, gap: 0 },
  { name: 'gelu', op: T.gelu, lo: -3, hi: 3, gap: 0 },
  { name: 'leakyRelu', op: (x) => T.leakyRelu(x, 0.1), lo: -2, hi: 2, gap: 0.05 },
  { name: 'elu', op: (x) => T.elu(x, 0.7), lo: -2, hi: 2, gap: 0.05 },
];

/**
 * Float32 on a device against a float64 difference quotient on the reference: agreement
 * to float32's precision, not float64's.
 */
const float32: GradientCheckOptions = { rtol: 1e-3, atol: 1e-4 };

/** float32 values in `[lo, hi)` on `backend`, pushed out of `(-gap, gap)`. */
const param = (backend: Backend, seed: number, shape: Shape, lo = -2, hi = 2, gap = 0): Tensor => {
  const raw = T.uniform(T.key(seed), shape, { dtype: 'float64', minval: lo, maxval: hi }).values;
  const pushed = raw.map((v) => (Math.abs(v) >= gap ? v : v < 0 ? v - gap : v + gap));
  return T.tensor(pushed, { shape, dtype: 'float32', backend });
};

/**
 * A scalar that weights every element of `y` differently, so the check sees a
 * non-uniform cotangent. The weights take `y`'s dtype and backend, so one function
 * serves both the device pass and the float64 reference pass.
 */
const weighted = (y: Tensor, seed: number): Tensor => {
  const weights = T.uniform(T.key(seed + 7919), y.shape, { dtype: 'float64', minval: 0.5, maxval: 1.5 });
  return T.sum(T.mul(y, T.toBackend(T.cast(weights, y.dtype), y.backend)));
};

const SEEDS = [11, 12];
const SHAPES: readonly Shape[] = [[3, 4], [5], [2, 1, 3]];

/**
 * Gradient checks through a backend: the analytic gradient in float32 on the backend
 * against central differences in float64 on the reference, within float32 tolerances.
 * Every backend runs them, as it runs {@link parityCases}.
 *
 * @example
 * ```ts
 * describe.each(backendGradientCases)('$name', ({ run }) => it('agrees', () => run(myBackend)));
 * ```
 */
export const backendGradientCases: readonly ParityCase[] = [
  {
    name: 'element-wise ops',
    run: (backend) =>
      unaryGradientCases.forEach(({ op, lo, hi, gap }) =>
        SHAPES.forEach((shape, i) => assertGradients((x: Tensor) => weighted(op(x), i), param(backend, SEEDS[0] + i, shape, lo, hi, gap), float32)),
      ),
  },
  {
    name: 'binary ops with broadcasting',
    run: (backend) => {
      const ops: ((a: Tensor, b: Tensor) => Tensor)[] = [T.add, T.sub, T.mul, T.div, T.pow, (a, b) => T.maximum(a, T.add(b, 10))];
      const pairs: [Shape, Shape][] = [[[3, 4], [4]], [[2, 1, 3], [2, 1]], [[5], []]];
      ops.forEach((op, i) =>
        pairs.forEach(([sa, sb], j) =>
          assertGradients(
            ({ a, b }: { a: Tensor; b: Tensor }) => weighted(op(a, b), i + j),
            { a: param(backend, i, sa, 0.5, 2), b: param(backend, j + 50, sb, 0.5, 2) },
            float32,
          ),
        ),
      );
    },
  },
  {
    name: 'matmul with transposes, K > 1000 included',
    run: (backend) =>
      [3, 17, 1030].forEach((k, i) =>
        [false, true].forEach((transposeA) =>
          [false, true].forEach((transposeB) => {
            const a = param(backend, i, transposeA ? [k, 2] : [2, k], -1, 1);
            const b = param(backend, i + 1, transposeB ? [3, k] : [k, 3], -1, 1);
            assertGradients(({ a, b }: { a: Tensor; b: Tensor }) => weighted(T.matmul(a, b, { transposeA, transposeB }), i), { a, b }, float32);
          }),
        ),
      ),
  },
  {
    name: 'an MLP loss: dense layers with each activation, softmax cross-entropy and a mean',
    run: (backend) =>
      (['relu', 'sigmoid', 'tanh', 'linear'] as const satisfies readonly FusedActivation[]).forEach((activation, seed) => {
        const labels = T.randint(T.key(seed), [5], 0, 3, backend);
        const x = param(backend, seed + 4, [5, 7]);
        const params = {
          w1: param(backend, seed, [7, 4], -1, 1),
          b1: param(backend, seed + 1, [4], -0.5, 0.5),
          w2: param(backend, seed + 2, [4, 3], -1, 1),
          b2: param(backend, seed + 3, [3]),
        };
        const loss = (p: typeof params) => {
          const xs = T.toBackend(T.cast(x, p.w1.dtype), p.w1.backend);
          return T.mean(T.sparseSoftmaxCrossEntropy(T.dense(T.dense(xs, p.w1, p.b1, activation), p.w2, p.b2), labels));
        };
        assertGradients(loss, params, float32);
      }),
  },
  {
    name: 'softmax, logSoftmax, reductions and layout ops',
    run: (backend) => {
      const indices = T.tensor([2, 0, 2], { dtype: 'int32' });
      const ops: ((x: Tensor) => Tensor)[] = [
        (x) => T.softmax(x),
        (x) => T.logSoftmax(x),
        (x) => T.logSumExp(x, 1),
        (x) => T.sum(x, 0),
        (x) => T.mean(x, 1),
        (x) => T.max(x, 1),
        (x) => T.transpose(x),
        (x) => T.slice(x, [1, 0], [2, 3]),
        (x) => T.pad(x, [[1, 0], [0, 2]]),
        (x) => T.concat([x, T.square(x)], 1),
        (x) => T.gather(x, indices, 0),
      ];
      ops.forEach((op, i) => assertGradients((x: Tensor) => weighted(op(x), i), param(backend, i, [3, 5], -3, 3), float32));
    },
  },
  {
    name: 'conv2d with padding, strides and dilation; max and average pooling',
    run: (backend) => {
      const convs: [Shape, Shape, T.Conv2DOptions][] = [
        [[2, 5, 4, 3], [2, 2, 3, 2], { strides: 2, padding: 'same' }],
        [[1, 6, 6, 2], [3, 3, 2, 2], { dilation: 2, padding: 'same' }],
        [[1, 4, 5, 1], [2, 3, 1, 3], {}],
      ];
      convs.forEach(([xShape, kernelShape, options], i) =>
        assertGradients(
          ({ x, kernel }: { x: Tensor; kernel: Tensor }) => weighted(T.conv2d(x, kernel, options), i),
          { x: param(backend, i, xShape), kernel: param(backend, i + 1, kernelShape, -1, 1) },
          float32,
        ),
      );
      // Distinct values 0.01 apart: no ties for the difference quotient to straddle.
      const distinct = (seed: number, shape: Shape): Tensor =>
        T.tensor(Float32Array.from(T.permutationValues(T.key(seed), T.sizeOf(shape)), (i) => i / 100 - 1), { shape, backend });
      const pools: [Shape, T.Pair, T.Pool2DOptions][] = [[[2, 4, 4, 3], 2, {}], [[1, 5, 6, 2], 3, { strides: 2, padding: 'same' }]];
      pools.forEach(([xShape, poolSize, options], i) => {
        assertGradients((x: Tensor) => weighted(T.maxPool2d(x, poolSize, options), i), distinct(i, xShape), float32);
        assertGradients((x: Tensor) => weighted(T.avgPool2d(x, poolSize, options), i), param(backend, i, xShape), float32);
      });
    },
  },
];
