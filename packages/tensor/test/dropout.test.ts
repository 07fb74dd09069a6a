import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bernoulli,
  dropout,
  grad,
  key,
  mul,
  sum,
  TensorError,
  tensor,
  uniform,
  where,
  type Tensor,
} from '@axon/tensor';
import { seedArb } from './arbitraries.js';

describe('dropout', () => {
  it('is where(bernoulli(key, 1 - rate), x / (1 - rate), 0), in float32 and float64', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.constantFrom(0, 0.2, 0.5, 0.75),
        fc.constantFrom('float32', 'float64'),
        (seed, rate, dtype) => {
          const x = uniform(key(seed), [3, 17], { minval: -2, maxval: 2, dtype });
          const k = key(seed + 1);
          const expected = where(bernoulli(k, 1 - rate, x.shape), mul(x, 1 / (1 - rate)), 0);
          expect(dropout(x, k, rate).toArray()).toEqual(expected.toArray());
        },
      ),
      { numRuns: 30 },
    );
  });

  it('zeroes about `rate` of the elements and scales the rest', () => {
    const y = dropout(tensor(new Float32Array(20000).fill(1), { shape: [20000] }), key(4), 0.3);
    const kept = y.values.filter((v) => v !== 0);
    expect(Math.abs(1 - kept.length / y.size - 0.3)).toBeLessThan(0.02);
    expect(kept.every((v) => v === Math.fround(1 / 0.7))).toBe(true);
  });

  it('has the same mask in its gradient', () => {
    const x = uniform(key(2), [50], { dtype: 'float64' });
    const g = grad((t: Tensor) => sum(dropout(t, key(9), 0.4)))(x);
    const mask = bernoulli(key(9), 0.6, x.shape).values;
    expect(Array.from(g.values)).toEqual(Array.from(mask, (kept) => (kept ? 1 / 0.6 : 0)));
  });

  it('names a rate outside [0, 1)', () => {
    expect(() => dropout(uniform(key(0), [2]), key(1), 1)).toThrow(TensorError);
    expect(() => dropout(uniform(key(0), [2]), key(1), -0.1)).toThrow(/rate must be in \[0, 1\), got -0.1/);
  });
});
