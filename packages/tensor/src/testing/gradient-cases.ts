import type { Backend, FusedActivation } from '../backend/backend.js';
import type { Shape } from '../core/shape.js';
import { showShape } from '../core/error.js';
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
 * Values spread over [-2, 2] on a grid of step 0.2 shifted by `phase`, each jittered by
 * up to ±0.03. Operands drawn with phases 0 and 0.1 share one range, so each wins about
 * half the comparisons, yet never come within 0.04 of each other: gradient checks of
 * maximum and minimum see both branches and no ties.
 */
export const tieFreeValues = (seed: number, shape: Shape, phase: number): Float64Array => {
  const coarse = T.uniform(T.key(seed), shape, { dtype: 'float64', minval: -2, maxval: 2 }).values;
  const jitter = T.uniform(T.key(seed + 104729), shape, { dtype: 'float64', minval: -0.03, maxval: 0.03 }).values;
  return coarse.map((v, i) => 0.2 * Math.round(v / 0.2) + phase + jitter[i]);
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

/**
 * A scalar that weights every element of `f`'s gradient differently: checking its
 * gradient with {@link assertGradients} compares second derivatives (a Hessian times
 * random weights) with central differences of the gradient. Nest it for third order.
 *
 * @example
 * ```ts
 * assertGradients(gradientProbe((x: Tensor) => sum(tanh(x)), 1), x); // second derivatives of tanh
 * ```
 */
export const gradientProbe =
  <P extends T.TensorTree>(f: (params: P) => Tensor, seed: number) =>
  (params: P): Tensor =>
    T.treeLeaves(T.grad(f)(params))
      .map((g, i) => weighted(g, seed + 31 * i))
      .reduce((a, b) => T.add(a, b));

/** Throws unless `actual` holds exactly `expected`'s values, dtype and shape, on `backend`. */
const expectSame = (what: string, actual: Tensor, expected: Tensor, backend: Backend): void => {
  const show = (x: Tensor, on: Backend): string => `${x.dtype}${showShape(x.shape)} on ${on.name}`;
  const got = show(actual, actual.backend);
  const wanted = show(expected, backend);
  const differs = actual.values.findIndex((v, i) => !Object.is(v, expected.values[i]));
  if (got !== wanted || differs >= 0) {
    const element =
      differs >= 0 ? `; element ${differs} is ${actual.values[differs]}, expected ${expected.values[differs]}` : '';
    throw new Error(`${what}: got ${got}, expected ${wanted}${element}`);
  }
};

/**
 * Checks that moving tensors between backends `a` and `b` with `toBackend` is an
 * identity for differentiation, both ways: `grad(v => sum(c · toBackend(v, other)))` is
 * exactly `c`, back on `v`'s backend; chains of ops on both sides pass gradient checks;
 * and second derivatives through the moves match central differences of gradients.
 *
 * @example
 * ```ts
 * it('keeps gradients across wasm and gpu', () => assertDifferentiableMoves(wasm, gpu));
 * ```
 */
export const assertDifferentiableMoves = (a: Backend, b: Backend): void =>
  [
    [a, b],
    [b, a],
  ].forEach(([from, to], i) => {
    const c = param(to, 80 + i, [3, 4]);
    const g = T.grad((v: Tensor) => T.sum(T.mul(T.toBackend(v, to), c)))(param(from, 70 + i, [3, 4]));
    expectSame(`grad through toBackend(${from.name} → ${to.name})`, g, c, from);
    const there = (x: Tensor): Tensor => T.toBackend(x, to);
    const back = (x: Tensor): Tensor => T.toBackend(x, from);
    const chain = (x: Tensor): Tensor => weighted(T.mul(T.tanh(back(T.exp(there(x)))), there(T.sin(x))), i);
    assertGradients(chain, param(from, 90 + i, [2, 3], -1, 1), float32);
    assertGradients(gradientProbe(chain, i + 1), param(from, 95 + i, [2, 3], -1, 1), float32);
  });

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
        SHAPES.forEach((shape, i) =>
          assertGradients((x: Tensor) => weighted(op(x), i), param(backend, SEEDS[0] + i, shape, lo, hi, gap), float32),
        ),
      ),
  },
  {
    name: 'binary ops with broadcasting',
    run: (backend) => {
      const ops: ((a: Tensor, b: Tensor) => Tensor)[] = [T.add, T.sub, T.mul, T.div, T.pow, T.maximum, T.minimum];
      const pairs: [Shape, Shape][] = [
        [[3, 4], [4]],
        [
          [2, 1, 3],
          [2, 1],
        ],
        [[5], []],
      ];
      const selects = (op: (a: Tensor, b: Tensor) => Tensor): boolean => op === T.maximum || op === T.minimum;
      ops.forEach((op, i) =>
        pairs.forEach(([sa, sb], j) => {
          // Maximum and minimum take operands from one range that never tie, so both win.
          const a = selects(op)
            ? T.tensor(tieFreeValues(i, sa, 0.1), { shape: sa, dtype: 'float32', backend })
            : param(backend, i, sa, 0.5, 2);
          const b = selects(op)
            ? T.tensor(tieFreeValues(j + 50, sb, 0), { shape: sb, dtype: 'float32', backend })
            : param(backend, j + 50, sb, 0.5, 2);
          assertGradients(({ a, b }: { a: Tensor; b: Tensor }) => weighted(op(a, b), i + j), { a, b }, float32);
        }),
      );
    },
  },
  {
    name: 'matmul with transposes, K > 1000 included',
    run: (backend) =>
      [3, 17, 1030].forEach((k, i) =>
        [false, true].forEach((transposeA) =>
          [false, true].forEach((transposeB) => {
            // Every element is differenced, each difference a product: at K > 1000 one row
            // and two columns keep that affordable.
            const [m, n] = k > 1000 ? [1, 2] : [2, 3];
            const a = param(backend, i, transposeA ? [k, m] : [m, k], -1, 1);
            const b = param(backend, i + 1, transposeB ? [n, k] : [k, n], -1, 1);
            assertGradients(
              ({ a, b }: { a: Tensor; b: Tensor }) => weighted(T.matmul(a, b, { transposeA, transposeB }), i),
              { a, b },
              float32,
            );
          }),
        ),
      ),
  },
  {
    name: 'toBackend to and from the reference: an identity whose cotangent moves back',
    run: (backend) => assertDifferentiableMoves(backend, T.jsBackend),
  },
  {
    name: 'an MLP loss: dense layers with each activation, softmax cross-entropy and a mean',
    run: (backend) =>
      (['relu', 'sigmoid', 'tanh', 'linear'] as const satisfies readonly FusedActivation[]).forEach(
        (activation, seed) => {
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
            return T.mean(
              T.sparseSoftmaxCrossEntropy(T.dense(T.dense(xs, p.w1, p.b1, activation), p.w2, p.b2), labels),
            );
          };
          assertGradients(loss, params, float32);
        },
      ),
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
        (x) =>
          T.pad(x, [
            [1, 0],
            [0, 2],
          ]),
        (x) => T.concat([x, T.square(x)], 1),
        (x) => T.gather(x, indices, 0),
      ];
      ops.forEach((op, i) =>
        assertGradients((x: Tensor) => weighted(op(x), i), param(backend, i, [3, 5], -3, 3), float32),
      );
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
        T.tensor(
          Float32Array.from(T.permutationValues(T.key(seed), T.sizeOf(shape)), (i) => i / 100 - 1),
          { shape, backend },
        );
      const pools: [Shape, T.Pair, T.Pool2DOptions][] = [
        [[2, 4, 4, 3], 2, {}],
        [[1, 5, 6, 2], 3, { strides: 2, padding: 'same' }],
      ];
      pools.forEach(([xShape, poolSize, options], i) => {
        assertGradients((x: Tensor) => weighted(T.maxPool2d(x, poolSize, options), i), distinct(i, xShape), float32);
        assertGradients(
          (x: Tensor) => weighted(T.avgPool2d(x, poolSize, options), i),
          param(backend, i, xShape),
          float32,
        );
      });
    },
  },
];
