import type { DType, TypedArray, TypedArrayFor } from '@axon/tensor';

/** The values as float32, the only type gpu.js computes in (the same array when already float32). */
export const toFloat32 = (values: TypedArray): Float32Array =>
  values instanceof Float32Array ? values : Float32Array.from(values);

/**
 * Float32 kernel results as `dtype`. Kernels give int32 results (indices) and bool
 * results (0 or 1) as exact small integers, so the conversion loses nothing.
 */
export const fromFloat32 = <D extends DType>(dtype: D, values: Float32Array): TypedArrayFor[D] => {
  switch (dtype) {
    case 'float32':
      return values as TypedArrayFor[D];
    case 'float64':
      return Float64Array.from(values) as TypedArrayFor[D];
    case 'int32':
      return Int32Array.from(values) as TypedArrayFor[D];
    default:
      return Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0)) as TypedArrayFor[D];
  }
};
