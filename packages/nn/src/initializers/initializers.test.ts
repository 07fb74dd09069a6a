import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key } from '@axon/tensor';
import {
  constant,
  fans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  initializerFromConfig,
  lecunNormal,
  ones,
  zeros,
  type Initializer,
} from './initializers.js';

const stats = (values: ArrayLike<number>): { mean: number; variance: number; maxAbs: number } => {
  let total = 0;
  let squares = 0;
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    total += values[i];
    squares += values[i] * values[i];
    maxAbs = Math.max(maxAbs, Math.abs(values[i]));
  }
  const mean = total / values.length;
  return { mean, variance: squares / values.length - mean * mean, maxAbs };
};

describe('initializers', () => {
  it('compute fans as Keras does', () => {
    expect(fans([784, 128])).toEqual({ fanIn: 784, fanOut: 128 });
    expect(fans([10])).toEqual({ fanIn: 10, fanOut: 10 });
    expect(fans([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
  });

  // [initializer, variance, bound on |value|] for a [200, 100] kernel (fanIn 200, fanOut 100).
  const cases: [string, Initializer, number, number][] = [
    ['glorotUniform', glorotUniform(), 2 / 300, Math.sqrt(6 / 300)],
    ['glorotNormal', glorotNormal(), 2 / 300, (2 * Math.sqrt(2 / 300)) / 0.8796256610342398],
    ['heUniform', heUniform(), 2 / 200, Math.sqrt(6 / 200)],
    ['heNormal', heNormal(), 2 / 200, (2 * Math.sqrt(2 / 200)) / 0.8796256610342398],
    ['lecunNormal', lecunNormal(), 1 / 200, (2 * Math.sqrt(1 / 200)) / 0.8796256610342398],
  ];

  it.each(cases)('%s has zero mean, the intended variance and its bound', (_name, init, variance, bound) => {
    const s = stats(init.sample(key(3), [200, 100], { dtype: 'float64' }).values);
    expect(Math.abs(s.mean)).toBeLessThan(0.05 * Math.sqrt(variance));
    expect(s.variance / variance).toBeGreaterThan(0.95);
    expect(s.variance / variance).toBeLessThan(1.05);
    expect(s.maxAbs).toBeLessThanOrEqual(bound * (1 + 1e-12));
  });

  it('are pure functions of key, shape and dtype', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (seed, a, b) => {
        cases.forEach(([, init]) => {
          expect(init.sample(key(seed), [a, b]).values).toEqual(init.sample(key(seed), [a, b]).values);
          expect(init.sample(key(seed), [a, b], { dtype: 'float64' }).dtype).toBe('float64');
        });
      }),
      { numRuns: 20 },
    );
    expect(glorotUniform().sample(key(1), [4, 4]).values).not.toEqual(glorotUniform().sample(key(2), [4, 4]).values);
  });

  it('fill constants', () => {
    expect(zeros().sample(key(0), [2]).toArray()).toEqual([0, 0]);
    expect(ones().sample(key(0), [2]).toArray()).toEqual([1, 1]);
    expect(constant(0.25).sample(key(0), [1, 2], { dtype: 'float64' }).toArray()).toEqual([[0.25, 0.25]]);
  });

  it('rebuild from their configs', () => {
    [...cases.map(([, init]) => init), zeros(), ones(), constant(-3)].forEach((init) => {
      const rebuilt = initializerFromConfig(JSON.parse(JSON.stringify(init.config)));
      expect(rebuilt.config).toEqual(init.config);
      expect(rebuilt.sample(key(5), [3, 2]).values).toEqual(init.sample(key(5), [3, 2]).values);
    });
  });
});
