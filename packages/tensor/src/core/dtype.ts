/**
 * Element types a tensor can hold. `float32` is the working type for training;
 * `float64` is what gradient checks run in; `int32` holds indices and class labels;
 * `bool` holds comparison masks (stored as 0/1 bytes).
 */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The floating-point dtypes, the only ones arithmetic and gradients are defined for. */
export type FloatDType = 'float32' | 'float64';

/** The typed array that stores each dtype. */
export interface TypedArrayFor {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/** Any of the typed arrays a tensor can be stored in. */
export type TypedArray = TypedArrayFor[DType];

const constructors = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

/** Allocates a zero-filled typed array of `size` elements for `dtype`. */
export const allocate = <D extends DType>(dtype: D, size: number): TypedArrayFor[D] =>
  new constructors[dtype](size) as TypedArrayFor[D];

/** A zero-filled typed array of `size` elements, of the same kind as `like`. */
export const allocateLike = <A extends TypedArray>(like: A, size: number): A =>
  new (like.constructor as new (size: number) => A)(size);

/** Copies `values` into a new typed array of `dtype`, converting each element as JS does. */
export const convertValues = <D extends DType>(dtype: D, values: ArrayLike<number>): TypedArrayFor[D] => {
  if (dtype === 'bool') {
    const out = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
    return out as TypedArrayFor[D];
  }
  if (dtype === 'int32') {
    const out = new Int32Array(values.length);
    // Truncation toward zero, as NumPy's astype(int32) does.
    for (let i = 0; i < values.length; i++) out[i] = Math.trunc(values[i]);
    return out as TypedArrayFor[D];
  }
  return constructors[dtype].from(values) as TypedArrayFor[D];
};

/** True for `float32` and `float64`. */
export const isFloat = (dtype: DType): dtype is FloatDType => dtype === 'float32' || dtype === 'float64';
