import type { NdArray } from '../array/nd-array.js';
import type { IdxType, IdxValues } from './idx-type.js';

/**
 * An IDX array of one element type: its values in the matching typed array.
 *
 * @example
 * ```ts
 * const labels: IdxArrayOf<'u8'> = { type: 'u8', shape: [3], values: Uint8Array.of(7, 2, 1) };
 * ```
 */
export type IdxArrayOf<T extends IdxType> = NdArray<IdxValues[T]> & { readonly type: T };

/**
 * The content of an IDX file: an element type, a shape of any rank, and the values,
 * tagged by `type` so a `switch` narrows the typed array.
 *
 * @example
 * ```ts
 * const a: IdxArray = { type: 'f32', shape: [2], values: Float32Array.of(0.5, -1) };
 * ```
 */
export type IdxArray = { readonly [T in IdxType]: IdxArrayOf<T> }[IdxType];
