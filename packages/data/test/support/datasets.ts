import fc from 'fast-check';
import type { LabeledDataset } from '../../src/index.js';

/**
 * A dataset whose sample `i` holds the values `i * width .. i * width + width - 1` and
 * label `i % 3`, so every gathered row shows which sample it came from.
 */
export const indexedDataset = (n: number, width: number): LabeledDataset<Float32Array> => ({
  inputs: { values: Float32Array.from({ length: n * width }, (_, i) => i), shape: [n, width] },
  labels: Int32Array.from({ length: n }, (_, i) => i % 3),
  classNames: ['a', 'b', 'c'],
});

/** The sample a gathered row came from, by the construction of {@link indexedDataset}. */
export const sampleOfRow = (values: Float32Array, width: number, row: number): number => values[row * width] / width;

export const seedArb = fc.nat({ max: 2 ** 32 });
