import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key, mul, ones, type Tensor } from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { values64, weighted } from '../../test/helpers.js';
import { dropout } from './dropout.js';

describe('dropout', () => {
  const x = ones([100, 100]);

  it('is the identity when not training', () => {
    expect(dropout(0.5).apply({}, x)).toBe(x);
    expect(dropout(0.5).apply({}, x, { training: false, key: key(0) })).toBe(x);
    expect(dropout(0).apply({}, x, { training: true })).toBe(x);
  });

  it('drops about `rate` of the inputs and scales the rest by 1 / (1 - rate)', () => {
    const y = dropout(0.3).apply({}, x, { training: true, key: key(1) }).values;
    const kept = y.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    expect(Math.abs(kept.length / y.length - 0.7)).toBeLessThan(0.02);
  });

  it('draws its mask from the key only', () => {
    const run = (seed: number): Float32Array =>
      dropout(0.5).apply({}, x, { training: true, key: key(seed) }).values as Float32Array;
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('passes gradients through the kept inputs, for random rates, keys and shapes', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
        (seed, rate, shape) => {
          const layer = dropout(rate);
          const ctx = { training: true, key: key(seed) };
          const input = values64(seed + 1, shape);
          assertGradients((p: Tensor) => weighted(layer.apply({}, p, ctx), seed), input);
          const mask = layer.apply({}, ones(shape, { dtype: 'float64' }), ctx);
          const expected = mul(input, mask).values;
          layer.apply({}, input, ctx).values.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('needs a key to train and a rate in [0, 1)', () => {
    expect(() => dropout(0.5).apply({}, x, { training: true })).toThrow(
      'dropout(0.5): training needs a PRNG key in the apply context',
    );
    expect(() => dropout(1)).toThrow('rate must be in [0, 1)');
  });
});
