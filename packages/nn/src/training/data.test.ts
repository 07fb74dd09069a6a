import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arange, key, permutationValues, reshape, tensor } from '@axon/tensor';
import { batchRanges, rowsOf, sampleCount, splitValidation, takeBatch } from './data.js';

describe('batching', () => {
  it('batch ranges cover every sample once, in order, the last batch smaller', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.integer({ min: 1, max: 64 }), (n, batchSize) => {
        const ranges = batchRanges(n, batchSize);
        expect(ranges.length).toBe(Math.ceil(n / batchSize));
        expect(ranges.flatMap(([start, count]) => Array.from({ length: count }, (_, i) => start + i))).toEqual(
          Array.from({ length: n }, (_, i) => i),
        );
        expect(ranges.every(([, count]) => count === batchSize || count === n % batchSize)).toBe(true);
      }),
    );
    expect(() => batchRanges(10, 0)).toThrow('batchSize must be a positive integer');
  });

  const data = { x: reshape(arange(24), [6, 2, 2]), y: tensor([0, 1, 2, 3, 4, 5], { dtype: 'int32' }) };

  it('takes rows in permutation order, x and y together', () => {
    const order = permutationValues(key(3), 6);
    const batch = takeBatch(data, order, 2, 3);
    const picked = Array.from(order.subarray(2, 5));
    expect(batch.y.toArray()).toEqual(picked);
    expect(batch.x.shape).toEqual([3, 2, 2]);
    expect(batch.x.toArray()).toEqual(
      picked.map((i) => [
        [4 * i, 4 * i + 1],
        [4 * i + 2, 4 * i + 3],
      ]),
    );
  });

  it('takes contiguous rows without an order, the whole set without a copy', () => {
    expect(takeBatch(data, undefined, 4, 2).y.toArray()).toEqual([4, 5]);
    expect(rowsOf(data.x, 0, 6)).toBe(data.x);
  });

  it('holds out the last fraction for validation, as Keras', () => {
    const { train, validation } = splitValidation(data, 0.34);
    expect(train.y.toArray()).toEqual([0, 1, 2]);
    expect(validation.y.toArray()).toEqual([3, 4, 5]);
    expect(validation.x.shape).toEqual([3, 2, 2]);
    expect(() => splitValidation(data, 0.9)).toThrow('leaves no training or no validation samples');
  });

  it('refuses x and y of different lengths', () => {
    expect(() => sampleCount('fit', { x: data.x, y: tensor([1, 2]) })).toThrow(
      'fit: x [6,2,2] and y [2] must hold the same number of samples',
    );
  });
});
