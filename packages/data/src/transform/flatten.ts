import { rowCount, rowSize, type NdArray, type NumericArray } from '../array/nd-array.js';

/**
 * Each sample as one row: `[n, 28, 28]` becomes `[n, 784]`. Only the shape changes; the
 * values array is shared, which is safe because arrays are never written after creation.
 *
 * @example
 * ```ts
 * flatten({ values: new Uint8Array(2 * 784), shape: [2, 28, 28] }).shape; // [2, 784]
 * ```
 */
export const flatten = <A extends NumericArray>(x: NdArray<A>): NdArray<A> => ({
  values: x.values,
  shape: [rowCount(x), rowSize(x)],
});
