import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { assertGradients, unaryGradientCases } from '@axon/tensor/testing';
import { detach, record } from '../src/autodiff/record.js';
import { unbroadcast } from '../src/autodiff/unbroadcast.js';
import { awayFromTies, broadcastPairArb, seedArb, shapeArb, values64, weighted } from './arbitraries.js';

const runs = { numRuns: 25 };

describe('gradients agree with central finite differences (float64)', () => {
  describe.each(unaryGradientCases)('$name', ({ op, lo, hi, gap }) => {
    it('for random shapes and values', () => {
      fc.assert(
        fc.property(shapeArb(), seedArb, (shape, seed) => {
          assertGradients((x: T.Tensor) => weighted(op(x), seed), values64(seed, shape, lo, hi, gap));
        }),
        runs,
      );
    });
  });

  const binaryCases: [string, (a: T.Tensor, b: T.Tensor) => T.Tensor, number, number][] = [
    ['add', T.add, -2, 2],
    ['sub', T.sub, -2, 2],
    ['mul', T.mul, -2, 2],
    ['div', T.div, 0.5, 2],
    ['pow', T.pow, 0.5, 2],
  ];

  describe.each(binaryCases)('%s', (_name, op, lo, hi) => {
    it('for broadcast shape pairs', () => {
      fc.assert(
        fc.property(broadcastPairArb(), seedArb, ([sa, sb], seed) => {
          const params = { a: values64(seed, sa, lo, hi), b: values64(seed + 1, sb, lo, hi) };
          assertGradients((p: typeof params) => weighted(op(p.a, p.b), seed), params);
        }),
        runs,
      );
    });
  });

  /** Operands from one range, so each wins somewhere, but never tied. */
  const selectionProperty = (op: (a: T.Tensor, b: T.Tensor) => T.Tensor) =>
    fc.property(broadcastPairArb(), seedArb, ([sa, sb], seed) => {
      const params = { a: awayFromTies(seed, sa, 0.1), b: awayFromTies(seed + 1, sb, 0) };
      assertGradients((p: typeof params) => weighted(op(p.a, p.b), seed), params);
    });

  describe.each([
    ['maximum', T.maximum],
    ['minimum', T.minimum],
  ] as const)('%s', (_name, op) => {
    it('routes each cotangent to the operand that wins, with both operands winning', () => {
      fc.assert(selectionProperty(op), runs);
    });

    it('catches a gradient that ignores which operand won (deliberately broken copies)', () => {
      // Copies with the right values whose gradients always go to one operand: with one
      // operand shifted out of the other's range, a check would see only that operand win.
      const toFirst = (a: T.Tensor, b: T.Tensor) =>
        record(op(detach(a), detach(b)), [a, b], (g) => [unbroadcast(g, a.shape), undefined]);
      const toSecond = (a: T.Tensor, b: T.Tensor) =>
        record(op(detach(a), detach(b)), [a, b], (g) => [undefined, unbroadcast(g, b.shape)]);
      const reported = { ...runs, includeErrorInReport: true };
      expect(() => fc.assert(selectionProperty(toFirst), reported)).toThrow(/gradient mismatch/);
      expect(() => fc.assert(selectionProperty(toSecond), reported)).toThrow(/gradient mismatch/);
    });
  });

  it('where routes gradients to the chosen branch', () => {
    fc.assert(
      fc.property(broadcastPairArb(), seedArb, ([sa, sb], seed) => {
        const params = { a: values64(seed, sa), b: values64(seed + 1, sb) };
        assertGradients((p: typeof params) => weighted(T.where(T.greater(p.a, 0), T.mul(p.a, p.a), p.b), seed), {
          ...params,
          a: values64(seed, sa, -2, 2, 0.05),
        });
      }),
      runs,
    );
  });

  const reductions: [string, (x: T.Tensor, axes: number[], keepDims: boolean) => T.Tensor][] = [
    ['sum', (x, axes, keepDims) => T.sum(x, axes, { keepDims })],
    ['mean', (x, axes, keepDims) => T.mean(x, axes, { keepDims })],
    ['max', (x, axes, keepDims) => T.max(x, axes, { keepDims })],
    ['min', (x, axes, keepDims) => T.min(x, axes, { keepDims })],
    ['logSumExp', (x, axes, keepDims) => T.logSumExp(x, axes, { keepDims })],
  ];

  const shapeWithAxes = shapeArb(3, 4).chain((shape) =>
    fc.tuple(fc.constant(shape), fc.subarray([...shape.keys()]), fc.boolean()),
  );

  describe.each(reductions)('%s', (_name, op) => {
    it('over random axes, with and without keepDims', () => {
      fc.assert(
        fc.property(shapeWithAxes, seedArb, ([shape, axes, keepDims], seed) => {
          assertGradients((x: T.Tensor) => weighted(op(x, axes, keepDims), seed), values64(seed, shape));
        }),
        runs,
      );
    });
  });

  it('matmul with transposes and broadcast batch axes', () => {
    const arb = fc.record({
      batchA: fc.constantFrom([], [2], [1], [3, 2]),
      batchB: fc.constantFrom([], [2], [1]),
      m: fc.integer({ min: 1, max: 5 }),
      k: fc.integer({ min: 1, max: 5 }),
      n: fc.integer({ min: 1, max: 5 }),
      transposeA: fc.boolean(),
      transposeB: fc.boolean(),
      seed: seedArb,
    });
    fc.assert(
      fc.property(arb, ({ batchA, batchB, m, k, n, transposeA, transposeB, seed }) => {
        const a = values64(seed, [...batchA, ...(transposeA ? [k, m] : [m, k])]);
        const b = values64(seed + 1, [...batchB, ...(transposeB ? [n, k] : [k, n])]);
        assertGradients(
          (p: { a: T.Tensor; b: T.Tensor }) => weighted(T.matmul(p.a, p.b, { transposeA, transposeB }), seed),
          { a, b },
        );
      }),
      runs,
    );
  });

  it('matmul of vectors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), seedArb, (k, n, seed) => {
        const params = { v: values64(seed, [k]), m: values64(seed + 1, [k, n]), w: values64(seed + 2, [n]) };
        assertGradients((p: typeof params) => weighted(T.matmul(T.matmul(p.v, p.m), p.w), seed), params);
      }),
      runs,
    );
  });

  it('softmax and logSoftmax along any axis', () => {
    fc.assert(
      fc.property(
        shapeArb(3, 4).filter((s) => s.length > 0),
        seedArb,
        fc.nat(),
        (shape, seed, axisSeed) => {
          const axis = axisSeed % shape.length;
          const x = values64(seed, shape, -3, 3);
          assertGradients((v: T.Tensor) => weighted(T.softmax(v, axis), seed), x);
          assertGradients((v: T.Tensor) => weighted(T.logSoftmax(v, axis), seed), x);
        },
      ),
      runs,
    );
  });

  it('dense with each fused activation, with and without bias', () => {
    const arb = fc.record({
      m: fc.integer({ min: 1, max: 4 }),
      k: fc.integer({ min: 1, max: 4 }),
      n: fc.integer({ min: 1, max: 4 }),
      activation: fc.constantFrom('linear' as const, 'relu' as const, 'sigmoid' as const, 'tanh' as const),
      useBias: fc.boolean(),
      seed: seedArb,
    });
    fc.assert(
      fc.property(arb, ({ m, k, n, activation, useBias, seed }) => {
        const params = { x: values64(seed, [m, k]), w: values64(seed + 1, [k, n]), b: values64(seed + 2, [n]) };
        const f = (p: typeof params) => weighted(T.dense(p.x, p.w, useBias ? p.b : undefined, activation), seed);
        // relu's kink: check only when no pre-activation sits near 0.
        const z = T.add(T.matmul(params.x, params.w), useBias ? params.b : 0);
        fc.pre(activation !== 'relu' || z.values.every((v) => Math.abs(v) > 1e-3));
        assertGradients(f, params);
      }),
      runs,
    );
  });

  it('sparseSoftmaxCrossEntropy with respect to logits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), seedArb, (batch, classes, seed) => {
        const labels = T.randint(T.key(seed + 3), [batch], 0, classes);
        assertGradients(
          (l: T.Tensor) => weighted(T.sparseSoftmaxCrossEntropy(l, labels), seed),
          values64(seed, [batch, classes], -4, 4),
        );
      }),
      runs,
    );
  });

  it('layout ops: reshape, transpose, slice, pad, concat, stack, gather, broadcastTo, cast', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), seedArb, (r, c, seed) => {
        const x = values64(seed, [r, c]);
        const idx = T.randint(T.key(seed), [5], 0, r);
        const f = (v: T.Tensor) => {
          const moved = T.transpose(T.reshape(v, [c, r]));
          const padded = T.pad(
            moved,
            [
              [1, 0],
              [0, 2],
            ],
            0,
          );
          const cut = T.slice(padded, [1, 0], [r, c]);
          const joined = T.concat([cut, T.mul(v, 2)], 1);
          const stacked = T.stack([joined, T.square(joined)], 0);
          const picked = T.gather(v, idx, 0);
          const spread = T.broadcastTo(T.expandDims(T.sum(v, 0), 0), [3, c]);
          return T.add(T.add(weighted(stacked, seed), weighted(picked, seed + 1)), weighted(spread, seed + 2));
        };
        assertGradients(f, x);
      }),
      runs,
    );
  });

  it('cast between float dtypes passes the gradient through', () => {
    fc.assert(
      fc.property(shapeArb(), seedArb, (shape, seed) => {
        const f = (v: T.Tensor) => weighted(T.cast(T.mul(T.cast(v, 'float32'), 3), 'float64'), seed);
        // Through float32 the inputs are rounded to ~6e-8, so a wide step keeps the
        // difference quotient accurate.
        assertGradients(f, values64(seed, shape), { epsilon: 1e-2, rtol: 1e-4, atol: 1e-6 });
      }),
      runs,
    );
  });

  it('a tensor used many times accumulates its cotangents', () => {
    fc.assert(
      fc.property(shapeArb(), seedArb, (shape, seed) => {
        assertGradients(
          (x: T.Tensor) => weighted(T.mul(T.add(x, T.tanh(x)), T.exp(T.neg(x))), seed),
          values64(seed, shape),
        );
      }),
      runs,
    );
  });
});
