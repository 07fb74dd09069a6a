import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key, type Tensor } from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { values64, weighted } from '../../test/helpers.js';
import { flatten, reshape } from './reshape.js';

describe('flatten and reshape', () => {
  it('flatten each sample in row-major order', () => {
    expect(flatten().init(key(0), [28, 28]).outputShape).toEqual([784]);
    const x = values64(1, [2, 3, 4]);
    const y = flatten().apply({}, x);
    expect(y.shape).toEqual([2, 12]);
    expect(y.values).toEqual(x.values);
  });

  it('reshape samples, inferring one extent', () => {
    expect(reshape([28, -1]).init(key(0), [784]).outputShape).toEqual([28, 28]);
    expect(reshape([2, 6]).apply({}, values64(1, [3, 12])).shape).toEqual([3, 2, 6]);
  });

  it('pass gradients back unchanged, for random sample shapes and targets', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.nat(),
        (seed, batch, sample, split) => {
          const x = values64(seed, [batch, ...sample]);
          const size = sample.reduce((a, b) => a * b, 1);
          // A target of two extents whose product is the sample size, one of them inferred.
          const divisors = Array.from({ length: size }, (_, i) => i + 1).filter((d) => size % d === 0);
          const first = divisors[split % divisors.length];
          assertGradients((v: Tensor) => weighted(reshape([first, -1]).apply({}, v), seed), x);
          assertGradients((v: Tensor) => weighted(flatten().apply({}, v), seed + 1), x);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('refuse shapes that do not fit, naming the layer', () => {
    expect(() => reshape([5, -1]).init(key(0), [12])).toThrow(
      'reshape([5,-1]): cannot reshape samples [12] (12 values) into [5,-1]',
    );
    expect(() => reshape([-1, -1]).init(key(0), [4])).toThrow('reshape([-1,-1])');
    expect(() => reshape([2, 6]).apply({}, values64(1, [3, 10]))).toThrow('cannot reshape samples [10]');
  });
});
