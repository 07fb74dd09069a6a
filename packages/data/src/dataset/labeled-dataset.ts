import type { NdArray, NumericArray } from '../array/nd-array.js';

/**
 * Samples and their class labels, row-aligned: `inputs` has shape `[n, ...sample]` and
 * `labels[i]` is the class of row `i`. A batch is one of these, and so is a whole dataset.
 *
 * @example
 * ```ts
 * const batch: LabeledArrays<Float32Array> = {
 *   inputs: { values: new Float32Array(2 * 784), shape: [2, 784] },
 *   labels: Int32Array.of(7, 2),
 * };
 * ```
 */
export interface LabeledArrays<A extends NumericArray = NumericArray> {
  readonly inputs: NdArray<A>;
  readonly labels: Int32Array;
}

/**
 * A dataset: every sample in one typed array, the labels in another, and a name for
 * each class (`classNames[label]`).
 *
 * @example
 * ```ts
 * const ds: LabeledDataset<Uint8Array> = {
 *   inputs: { values: new Uint8Array(784), shape: [1, 28, 28] },
 *   labels: Int32Array.of(3),
 *   classNames: ['0', '1', '2', '3'],
 * };
 * ```
 */
export interface LabeledDataset<A extends NumericArray = NumericArray> extends LabeledArrays<A> {
  readonly classNames: readonly string[];
}

/**
 * The training and test sets of a dataset, as `tf.keras.datasets.*.load_data()` returns them.
 *
 * @example
 * ```ts
 * const { train, test } = splits; // train.inputs.shape: [60000, 28, 28]
 * ```
 */
export interface DatasetSplits<A extends NumericArray = NumericArray> {
  readonly train: LabeledDataset<A>;
  readonly test: LabeledDataset<A>;
}
