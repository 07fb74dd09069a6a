import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchAt, batchCount, batchToTensors, epochBatches, sequentialOrder, shuffledOrder } from '../src/index.js';
import { indexedDataset, sampleOfRow, seedArb } from './support/datasets.js';

const sorted = (xs: ArrayLike<number>): number[] => Array.from(xs).sort((a, b) => a - b);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('shuffledOrder', () => {
  it('is a permutation of 0..n-1', () => {
    fc.assert(
      fc.property(seedArb, fc.nat(100), fc.nat(500), (seed, epoch, n) => {
        expect(sorted(shuffledOrder(seed, epoch, n))).toEqual(range(n));
      }),
    );
  });

  it('is identical for the same seed and epoch', () => {
    fc.assert(
      fc.property(seedArb, fc.nat(100), fc.nat(500), (seed, epoch, n) => {
        expect(shuffledOrder(seed, epoch, n)).toEqual(shuffledOrder(seed, epoch, n));
      }),
    );
  });

  it('differs between epochs and between seeds', () => {
    fc.assert(
      fc.property(seedArb, fc.nat(100), (seed, epoch) => {
        const order = shuffledOrder(seed, epoch, 1000);
        expect(order).not.toEqual(shuffledOrder(seed, epoch + 1, 1000));
        expect(order).not.toEqual(shuffledOrder(seed + 1, epoch, 1000));
      }),
    );
  });

  it('actually shuffles: roughly as many fixed points as chance allows', () => {
    const order = shuffledOrder(7, 0, 10_000);
    const fixed = order.filter((v, i) => v === i).length;
    expect(fixed).toBeLessThan(10); // expected 1 for a uniform permutation
  });
});

describe('batching', () => {
  const optionsArb = fc.record({ batchSize: fc.integer({ min: 1, max: 40 }), dropLast: fc.boolean() });

  it('the batches of an epoch visit every sample exactly once (minus a dropped remainder)', () => {
    fc.assert(
      fc.property(fc.nat(120), fc.integer({ min: 1, max: 5 }), seedArb, optionsArb, (n, width, seed, options) => {
        const data = indexedDataset(n, width);
        const order = shuffledOrder(seed, 0, n);
        const visited = [...epochBatches(data, order, options)].flatMap((batch) => {
          expect(batch.inputs.shape).toEqual([batch.labels.length, width]);
          return range(batch.labels.length).map((row) => {
            const sample = sampleOfRow(batch.inputs.values, width, row);
            expect(batch.labels[row]).toBe(sample % 3);
            return sample;
          });
        });
        const kept = options.dropLast ? n - (n % options.batchSize) : n;
        expect(visited).toEqual(Array.from(order.subarray(0, kept)));
      }),
    );
  });

  it('keeps the last partial batch by default and drops it on request', () => {
    const data = indexedDataset(10, 2);
    const order = sequentialOrder(10);
    expect(batchCount(10, { batchSize: 4 })).toBe(3);
    expect(batchAt(data, order, 2, { batchSize: 4 }).labels.length).toBe(2);
    expect(batchCount(10, { batchSize: 4, dropLast: true })).toBe(2);
    expect(() => batchAt(data, order, 2, { batchSize: 4, dropLast: true })).toThrow(RangeError);
    expect(batchCount(8, { batchSize: 4, dropLast: true })).toBe(2);
  });

  it('gathers rows into one new array without touching the dataset', () => {
    const data = indexedDataset(5, 3);
    const before = Float32Array.from(data.inputs.values);
    const batch = batchAt(data, Int32Array.of(4, 0, 2), 0, { batchSize: 2 });
    expect(batch.inputs).toEqual({ values: Float32Array.of(12, 13, 14, 0, 1, 2), shape: [2, 3] });
    expect(batch.labels).toEqual(Int32Array.of(1, 0));
    batch.inputs.values.fill(-1);
    expect(data.inputs.values).toEqual(before);
  });

  it('refuses bad batch sizes and indices', () => {
    const data = indexedDataset(5, 1);
    expect(() => batchCount(5, { batchSize: 0 })).toThrow(/positive integer/);
    expect(() => batchAt(data, sequentialOrder(5), -1, { batchSize: 2 })).toThrow(RangeError);
    expect(() => batchAt(data, Int32Array.of(7), 0, { batchSize: 1 })).toThrow(/outside 0..4/);
  });

  it('converts a batch to float32 inputs and int32 labels', () => {
    const batch = batchAt(indexedDataset(6, 4), sequentialOrder(6), 1, { batchSize: 4 });
    const { inputs, labels } = batchToTensors(batch);
    expect([inputs.dtype, inputs.shape]).toEqual(['float32', [2, 4]]);
    expect([labels.dtype, labels.shape]).toEqual(['int32', [2]]);
    expect(inputs.toArray()).toEqual([
      [16, 17, 18, 19],
      [20, 21, 22, 23],
    ]);
    expect(labels.toArray()).toEqual([1, 2]);
  });
});
