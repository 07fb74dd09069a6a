import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneHot, tensor } from '@axon/tensor';
import { labels } from '../../test/helpers.js';
import {
  addToMean,
  binaryAccuracy,
  categoricalAccuracy,
  confusionMatrix,
  emptyMean,
  meanOf,
  precisionRecall,
  sparseCategoricalAccuracy,
} from './metrics.js';

const int = { dtype: 'int32' } as const;

describe('accuracy', () => {
  const scores = tensor([
    [0.9, 0.1, 0],
    [0.6, 0.1, 0.3],
    [0.2, 0.3, 0.5],
    [-1, 4, 2],
  ]);
  const y = tensor([0, 2, 2, 1], int);

  it('compares the highest score with the integer label or one-hot target', () => {
    expect(sparseCategoricalAccuracy(y, scores).item()).toBe(0.75);
    expect(categoricalAccuracy(oneHot(y, 3), scores).item()).toBe(0.75);
    expect(sparseCategoricalAccuracy(tensor([0, 2, 2, 1]), scores).item()).toBe(0.75);
  });

  it('thresholds binary outputs', () => {
    expect(binaryAccuracy(tensor([1, 0, 1, 0]), tensor([0.9, 0.4, 0.3, 0.7])).item()).toBe(0.5);
    expect(binaryAccuracy(tensor([1, 0, 1, 0]), tensor([2, -1, 0.5, -0.2]), 0).item()).toBe(1);
    expect(
      binaryAccuracy(
        tensor([
          [1, 0],
          [1, 1],
        ]),
        tensor([
          [0.9, 0.1],
          [0.2, 0.8],
        ]),
      ).item(),
    ).toBe(0.75);
  });
});

describe('confusion matrix', () => {
  it('counts (true, predicted) pairs as a naive count does', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (seed, n, classes) => {
          const truth = labels(seed, n, classes);
          const predicted = labels(seed + 1, n, classes);
          const expected = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
          truth.values.forEach((t, i) => expected[t][predicted.values[i]]++);
          const matrix = confusionMatrix(truth, predicted, classes);
          expect(matrix.dtype).toBe('int32');
          expect(matrix.toArray()).toEqual(expected);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('gives per-class precision and recall, 0 for classes never predicted or present', () => {
    const matrix = confusionMatrix(tensor([0, 0, 1, 1, 1], int), tensor([0, 1, 1, 1, 0], int), 3);
    expect(matrix.toArray()).toEqual([
      [1, 1, 0],
      [1, 2, 0],
      [0, 0, 0],
    ]);
    const { precision, recall } = precisionRecall(matrix);
    expect(precision.toArray()).toEqual([0.5, 2 / 3, 0]);
    expect(recall.toArray()).toEqual([0.5, 2 / 3, 0]);
    const skewed = precisionRecall(
      tensor(
        [
          [3, 1],
          [0, 4],
        ],
        int,
      ),
    );
    expect(skewed.precision.toArray()).toEqual([1, 0.8]);
    expect(skewed.recall.toArray()).toEqual([0.75, 1]);
  });

  it('refuses labels and predictions of different lengths', () => {
    expect(() => confusionMatrix(tensor([0, 1], int), tensor([0], int), 2)).toThrow('confusionMatrix');
  });
});

describe('running mean', () => {
  it('weights values by their counts', () => {
    const m = addToMean(addToMean(emptyMean, 0.5, 128), 0.3, 32);
    expect(meanOf(m)).toBeCloseTo((0.5 * 128 + 0.3 * 32) / 160, 15);
    expect(meanOf(emptyMean)).toBeNaN();
  });
});
