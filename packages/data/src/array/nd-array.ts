import { sizeOf } from '@axon/tensor';

/** The typed arrays a dataset is stored in: one per IDX element type. */
export type NumericArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/**
 * A dense row-major array: a flat typed array and its shape. The first dimension counts
 * samples, so a whole dataset is one `NdArray` and a sample is a row of it. Values are
 * treated as immutable: transforms allocate new arrays, or share the old one when only
 * the shape changes.
 *
 * @example
 * ```ts
 * const images: NdArray<Uint8Array> = { values: new Uint8Array(2 * 28 * 28), shape: [2, 28, 28] };
 * ```
 */
export interface NdArray<A extends NumericArray = NumericArray> {
  readonly values: A;
  readonly shape: readonly number[];
}

/**
 * The number of samples (rows): the first dimension, or 1 for a rank-0 array.
 *
 * @example
 * ```ts
 * rowCount({ values: new Uint8Array(6), shape: [3, 2] }); // 3
 * ```
 */
export const rowCount = (x: NdArray): number => (x.shape.length === 0 ? 1 : x.shape[0]);

/**
 * The number of values in one sample: the product of every dimension after the first.
 *
 * @example
 * ```ts
 * rowSize({ values: new Uint8Array(2 * 784), shape: [2, 28, 28] }); // 784
 * ```
 */
export const rowSize = (x: NdArray): number => sizeOf(x.shape.slice(1));

/**
 * A zero-filled array of the same kind as `values`, `length` elements long.
 *
 * @example
 * ```ts
 * allocateLike(new Int16Array(3), 5); // Int16Array(5) [0, 0, 0, 0, 0]
 * ```
 */
export const allocateLike = <A extends NumericArray>(values: A, length: number): A =>
  new (values.constructor as new (length: number) => A)(length);
