import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bernoulli,
  foldIn,
  key,
  mean,
  normal,
  permutation,
  randint,
  split,
  TensorError,
  truncatedNormal,
  uniform,
} from '@axon/tensor';
import { seedArb } from './arbitraries.js';

describe('PRNG keys', () => {
  it("split(key(0)) reproduces JAX's published values for PRNGKey(0)", () => {
    // From the JAX documentation: random.split(random.PRNGKey(0)).
    expect(split(key(0)).map((k) => [...k])).toEqual([
      [4146024105, 967050713],
      [2718843009, 1272950319],
    ]);
  });

  it('the same key gives bit-identical values, every distribution', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 50 }), (seed, n) => {
        const k = key(seed);
        expect(uniform(k, [n]).values).toEqual(uniform(key(seed), [n]).values);
        expect(normal(k, [n], { dtype: 'float64' }).values).toEqual(normal(k, [n], { dtype: 'float64' }).values);
        expect(truncatedNormal(k, [n]).values).toEqual(truncatedNormal(k, [n]).values);
        expect(permutation(k, n).values).toEqual(permutation(k, n).values);
      }),
    );
  });

  it('split and foldIn give keys with different streams', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const parent = key(seed);
        const children = [...split(parent, 4), foldIn(parent, 1), foldIn(parent, 2), parent];
        const streams = children.map((k) => uniform(k, [8]).values.join(','));
        expect(new Set(streams).size).toBe(streams.length);
      }),
    );
  });

  it('rejects invalid seeds', () => {
    expect(() => key(-1)).toThrow(TensorError);
    expect(() => key(1.5)).toThrow(/non-negative safe integer/);
  });
});

describe('distributions', () => {
  it('uniform stays in [minval, maxval)', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (seed, lo, width) => {
          const x = uniform(key(seed), [200], { dtype: 'float64', minval: lo, maxval: lo + width });
          expect(x.values.every((v) => v >= lo && v < lo + width)).toBe(true);
        },
      ),
    );
  });

  it('normal has the requested mean and standard deviation', () => {
    const x = normal(key(7), [20000], { dtype: 'float64', mean: 3, stddev: 2 });
    const m = mean(x).item();
    const sd = Math.sqrt(x.values.reduce((s, v) => s + (v - m) ** 2, 0) / x.size);
    expect(Math.abs(m - 3)).toBeLessThan(0.05);
    expect(Math.abs(sd - 2)).toBeLessThan(0.05);
  });

  it('truncatedNormal never leaves two standard deviations', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const x = truncatedNormal(key(seed), [500], { dtype: 'float64', mean: 1, stddev: 0.5 });
        expect(x.values.every((v) => Math.abs(v - 1) <= 1)).toBe(true);
      }),
    );
  });

  it('permutation is a permutation', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 0, max: 300 }), (seed, n) => {
        const p = [...permutation(key(seed), n).values].sort((a, b) => a - b);
        expect(p).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
  });

  it('randint and bernoulli respect their ranges and rates', () => {
    const r = randint(key(1), [5000], -3, 4);
    expect(r.values.every((v) => v >= -3 && v < 4)).toBe(true);
    expect(new Set(r.values).size).toBe(7);
    const b = bernoulli(key(2), 0.3, [20000]);
    const rate = b.values.reduce((s, v) => s + v, 0) / b.size;
    expect(Math.abs(rate - 0.3)).toBeLessThan(0.02);
  });
});
