import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as T from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { gpuBackend, testMode } from './support.js';

const backend = gpuBackend();
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 });

/**
 * The analytic gradient is float32 on the gpu.js backend and the numeric one float64 on
 * the reference backend, so agreement is asked to float32's precision, not float64's.
 */
const float32 = { rtol: 1e-3, atol: 1e-4 };

/** float32 values on the gpu.js backend, pushed out of (-gap, gap) to keep away from kinks. */
const param = (seed: number, shape: T.Shape, lo = -2, hi = 2, gap = 0): T.Tensor => {
  const raw = T.uniform(T.key(seed), shape, { dtype: 'float64', minval: lo, maxval: hi }).values;
  const pushed = raw.map((v) => (Math.abs(v) >= gap ? v : v < 0 ? v - gap : v + gap));
  return T.toBackend(T.tensor(pushed, { shape, dtype: 'float32' }), backend);
};

/**
 * A scalar that weights every element of `y` differently. The weights take `y`'s dtype
 * and backend, so the same function serves the float32 device pass and the float64
 * reference pass of the check.
 */
const weighted = (y: T.Tensor, seed: number): T.Tensor => {
  const weights = T.uniform(T.key(seed + 7919), y.shape, { dtype: 'float64', minval: 0.5, maxval: 1.5 });
  return T.sum(T.mul(y, T.toBackend(T.cast(weights, y.dtype), y.backend)));
};

const unaryCases: [string, (x: T.Tensor) => T.Tensor, number, number, number][] = [
  ['square', T.square, -2, 2, 0],
  ['sqrt', T.sqrt, 0.2, 3, 0],
  ['reciprocal', T.reciprocal, 0.3, 3, 0],
  ['exp', T.exp, -2, 2, 0],
  ['expm1', T.expm1, -2, 2, 0],
  ['log', T.log, 0.2, 3, 0],
  ['log1p', T.log1p, -0.5, 3, 0],
  ['sin', T.sin, -3, 3, 0],
  ['erf', T.erf, -2.5, 2.5, 0],
  ['relu', T.relu, -2, 2, 0.05],
  ['abs', T.abs, -2, 2, 0.05],
  ['sigmoid', T.sigmoid, -4, 4, 0],
  ['tanh', T.tanh, -3, 3, 0],
  ['softplus', T.softplus, -4, 4, 0],
  ['gelu', T.gelu, -3, 3, 0],
];

describe(`gradients through gpu.js's ${testMode} mode agree with finite differences in float32 tolerances`, () => {
  it.each(unaryCases)('%s', (_name, op, lo, hi, gap) => {
    fc.assert(
      fc.property(shapeArb, seedArb, (shape, seed) => assertGradients((x: T.Tensor) => weighted(op(x), seed), param(seed, shape, lo, hi, gap), float32)),
      { numRuns: 3 },
    );
  });

  it('binary ops with broadcasting', () => {
    const ops: ((a: T.Tensor, b: T.Tensor) => T.Tensor)[] = [T.add, T.sub, T.mul, T.div, T.pow, (a, b) => T.maximum(a, T.add(b, 10))];
    fc.assert(
      fc.property(fc.nat(ops.length - 1), fc.constantFrom<[number[], number[]]>([[3, 4], [4]], [[2, 1, 3], [2, 1]], [[5], []]), seedArb, (op, [sa, sb], seed) =>
        assertGradients(({ a, b }: { a: T.Tensor; b: T.Tensor }) => weighted(ops[op](a, b), seed), { a: param(seed, sa, 0.5, 2), b: param(seed + 1, sb, 0.5, 2) }, float32),
      ),
      { numRuns: 6 },
    );
  });

  it('matmul with transposes, K > 1000 included', () => {
    fc.assert(
      fc.property(fc.constantFrom(3, 17, 1030), fc.boolean(), fc.boolean(), seedArb, (k, transposeA, transposeB, seed) => {
        const a = param(seed, transposeA ? [k, 2] : [2, k], -1, 1);
        const b = param(seed + 1, transposeB ? [3, k] : [k, 3], -1, 1);
        assertGradients(({ a, b }: { a: T.Tensor; b: T.Tensor }) => weighted(T.matmul(a, b, { transposeA, transposeB }), seed), { a, b }, float32);
      }),
      { numRuns: 4 },
    );
  });

  it('an MLP loss: dense layers with each activation, softmax cross-entropy and a mean', () => {
    fc.assert(
      fc.property(fc.constantFrom<T.FusedActivation>('relu', 'sigmoid', 'tanh', 'linear'), seedArb, (activation, seed) => {
        const labels = T.toBackend(T.randint(T.key(seed), [5], 0, 3), backend);
        const params = { w1: param(seed, [7, 4], -1, 1), b1: param(seed + 1, [4], -0.5, 0.5), w2: param(seed + 2, [4, 3], -1, 1), b2: param(seed + 3, [3]) };
        const x = param(seed + 4, [5, 7]);
        const loss = (p: typeof params) => {
          const xs = T.toBackend(T.cast(x, p.w1.dtype), p.w1.backend);
          const ys = T.toBackend(labels, p.w1.backend);
          return T.mean(T.sparseSoftmaxCrossEntropy(T.dense(T.dense(xs, p.w1, p.b1, activation), p.w2, p.b2), ys));
        };
        assertGradients(loss, params, float32);
      }),
      { numRuns: 4 },
    );
  });

  it('softmax, logSoftmax, reductions, transpose and slice', () => {
    const ops: ((x: T.Tensor) => T.Tensor)[] = [
      (x) => T.softmax(x),
      (x) => T.logSoftmax(x),
      (x) => T.sum(x, 0),
      (x) => T.mean(x, 1),
      (x) => T.max(x, 1),
      (x) => T.transpose(x),
      (x) => T.slice(x, [1, 0], [2, 3]),
    ];
    ops.forEach((op, i) => assertGradients((x: T.Tensor) => weighted(op(x), i), param(i, [3, 5], -3, 3), float32));
  });
});
