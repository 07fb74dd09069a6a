import type { NdArray, NumericArray } from '../array/nd-array.js';
import type { LabeledDataset } from '../dataset/labeled-dataset.js';

/**
 * Applies an array transform to a dataset's inputs, keeping its labels and class names:
 * the way to run {@link scaleToUnit}, {@link flatten} or {@link standardize} over a dataset.
 *
 * @example
 * ```ts
 * const train = pipe(splits.train, mapInputs(flow(scaleToUnit, flatten))); // float32 [60000, 784]
 * ```
 */
export const mapInputs =
  <A extends NumericArray, B extends NumericArray>(f: (x: NdArray<A>) => NdArray<B>) =>
  (data: LabeledDataset<A>): LabeledDataset<B> => ({ ...data, inputs: f(data.inputs) });
