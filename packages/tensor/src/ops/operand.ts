import type { Backend } from '../backend/backend.js';
import { ByteCodedStorage } from '../backend/byte-coded-storage.js';
import type { Storage } from '../backend/storage.js';
import { jsBackend } from '../backend/js/index.js';
import { isFloat, type DType, type FloatDType, type TypedArrayFor } from '../core/dtype.js';
import { check, showShape } from '../core/error.js';
import type { Shape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';

/** A tensor, or a plain number that ops treat as a scalar of the other operand's dtype. */
export type TensorLike<D extends DType = DType> = Tensor<D> | number;

/** The backend an op runs on: its inputs', or the highest-priority one when they differ. */
export const backendOf = (...xs: readonly Tensor[]): Backend => {
  let backend = xs.length > 0 ? xs[0].backend : jsBackend;
  for (const x of xs) if (x.backend.priority > backend.priority) backend = x.backend;
  return backend;
};

/** `x`'s storage on `backend`, moved through host memory when it lives elsewhere. */
export const storageOn = <D extends DType>(x: Tensor<D>, backend: Backend): Storage<D> =>
  x.backend === backend || (backend.takesHostStorage === true && x.storage instanceof ByteCodedStorage)
    ? x.storage
    : backend.fromHost(x.dtype, x.storage.read());

/** The storage of a float tensor on `backend`; `x` must have been checked to be float. */
export const floatStorageOn = (x: Tensor, backend: Backend): Storage<FloatDType> => {
  requireFloat('internal', x);
  return storageOn(x as Tensor<FloatDType>, backend);
};

/**
 * A tensor wrapping storage a kernel computed. Its dtype is the one the kernel's
 * contract gives, which the caller states as `D`.
 */
export const fromStorage = <D extends DType = DType>(storage: Storage, shape: Shape, backend: Backend): Tensor<D> =>
  new Tensor(shape, storage.dtype as D, storage as Storage<D>, backend);

/** A tensor of host values on `backend`. */
export const fromValues = <D extends DType>(
  dtype: D,
  values: TypedArrayFor[D],
  shape: Shape,
  backend: Backend = jsBackend,
): Tensor<D> => fromStorage(backend.fromHost(dtype, values), shape, backend);

/** A scalar of `dtype` holding `value`, on `backend`. */
export const scalarLike = <D extends DType>(value: number, dtype: D, backend: Backend): Tensor<D> => {
  const values = fromArrayOf(dtype, [value]);
  return fromValues(dtype, values, [], backend);
};

const fromArrayOf = <D extends DType>(dtype: D, values: number[]): TypedArrayFor[D] => {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values) as TypedArrayFor[D];
    case 'float64':
      return Float64Array.from(values) as TypedArrayFor[D];
    case 'int32':
      return Int32Array.from(values) as TypedArrayFor[D];
    default:
      return Uint8Array.from(values, (v) => (v ? 1 : 0)) as TypedArrayFor[D];
  }
};

/**
 * Resolves two operands: numbers become scalars of the tensor operand's dtype, and
 * both must then share one dtype.
 */
export const operands = (op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] => {
  check(typeof a !== 'number' || typeof b !== 'number', op, () => 'at least one operand must be a tensor');
  const x = typeof a === 'number' ? scalarLike(a, (b as Tensor).dtype, (b as Tensor).backend) : a;
  const y = typeof b === 'number' ? scalarLike(b, x.dtype, x.backend) : b;
  check(
    x.dtype === y.dtype,
    op,
    () => `dtypes differ: ${x.dtype}${showShape(x.shape)} and ${y.dtype}${showShape(y.shape)} (cast one with \`cast\`)`,
  );
  return [x, y];
};

/** Checks that `x` holds floats, the dtypes `op` is defined on. */
export const requireFloat = (op: string, x: Tensor): void =>
  check(isFloat(x.dtype), op, () => `expects a float32 or float64 tensor, got ${x.dtype}${showShape(x.shape)}`);

/** Checks that `x` holds int32 values, as indices and labels must. */
export const requireInt = (op: string, what: string, x: Tensor): void =>
  check(x.dtype === 'int32', op, () => `${what} must be int32, got ${x.dtype}${showShape(x.shape)}`);
