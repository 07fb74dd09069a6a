import { allocateLike, rowCount, rowSize, type NdArray, type NumericArray } from '../array/nd-array.js';
import type { LabeledArrays } from '../dataset/labeled-dataset.js';

/** Copies the `width`-value rows `indices` of `values`, in that order, into one new array. */
const gather = <A extends NumericArray>(values: A, width: number, rows: number, indices: ArrayLike<number>): A => {
  const out = allocateLike(values, indices.length * width);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i];
    if (!(Number.isInteger(row) && row >= 0 && row < rows)) {
      throw new RangeError(`takeRows: row ${row} at position ${i} is outside 0..${rows - 1}`);
    }
    // One memcpy per row; `width` is 1 for labels and 784 for MNIST images.
    if (width === 1) out[i] = values[row];
    else out.set(values.subarray(row * width, row * width + width), i * width);
  }
  return out;
};

/**
 * The rows `indices` of `x`, in that order, copied into one new array (a gather): the
 * result has shape `[indices.length, ...x.shape.slice(1)]`. Throws a `RangeError` for an
 * index outside `0 .. rows - 1`.
 *
 * @example
 * ```ts
 * takeRows({ values: Uint8Array.of(1, 2, 3, 4, 5, 6), shape: [3, 2] }, [2, 0]);
 * // { values: Uint8Array [5, 6, 1, 2], shape: [2, 2] }
 * ```
 */
export const takeRows = <A extends NumericArray>(x: NdArray<A>, indices: ArrayLike<number>): NdArray<A> => ({
  values: gather(x.values, rowSize(x), rowCount(x), indices),
  shape: [indices.length, ...x.shape.slice(1)],
});

/**
 * The samples `indices` of `data`, inputs and labels gathered alike.
 *
 * @example
 * ```ts
 * takeSamples(train, Int32Array.of(5, 1)).labels; // Int32Array [train.labels[5], train.labels[1]]
 * ```
 */
export const takeSamples = <A extends NumericArray>(
  data: LabeledArrays<A>,
  indices: ArrayLike<number>,
): LabeledArrays<A> => ({
  inputs: takeRows(data.inputs, indices),
  labels: gather(data.labels, 1, data.labels.length, indices),
});
