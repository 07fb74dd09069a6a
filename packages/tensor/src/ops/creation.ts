import type { Backend } from '../backend/backend.js';
import { ByteCodedStorage } from '../backend/byte-coded-storage.js';
import { jsBackend } from '../backend/js/index.js';
import { allocate, convertValues, type DType, type TypedArrayFor } from '../core/dtype.js';
import { check, TensorError } from '../core/error.js';
import { checkShape, sizeOf, type Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { fromStorage, fromValues } from './operand.js';

/** Where a new tensor lives and what it holds. */
export interface CreateOptions<D extends DType = 'float32'> {
  /** Element type; `float32` unless stated (or inferred from a typed array). */
  readonly dtype?: D;
  /** The backend that runs ops on the tensor; the plain TypeScript backend unless stated. */
  readonly backend?: Backend;
}

/** Options for {@link tensor}: a shape is needed for flat values. */
export interface TensorOptions<D extends DType = DType> extends CreateOptions<D> {
  readonly shape?: Shape;
  /**
   * `false` lets the tensor take a typed array of its own dtype without copying it, to
   * save memory on large data. The caller hands the array over and must never write to
   * it again. `true` (copy) unless stated.
   */
  readonly copy?: boolean;
}

/** Nested arrays of numbers or booleans, as written in source code. */
export type NestedValues = number | boolean | readonly NestedValues[];

/** Typed arrays `tensor` accepts. Integer arrays other than Int32Array become int32. */
export type InputArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Uint8ClampedArray;

/** The shape of nested arrays, refusing ragged ones. */
const shapeOfNested = (values: NestedValues): number[] => {
  const shape: number[] = [];
  let level: NestedValues = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] as NestedValues;
  }
  const verify = (v: NestedValues, axis: number): void => {
    if (axis === shape.length) {
      check(!Array.isArray(v), 'tensor', () => `nested arrays are ragged: expected a number at depth ${axis}`);
      return;
    }
    check(
      Array.isArray(v) && v.length === shape[axis],
      'tensor',
      () => `nested arrays are ragged: expected ${shape[axis]} entries at depth ${axis}`,
    );
    (v as readonly NestedValues[]).forEach((sub) => verify(sub, axis + 1));
  };
  verify(values, 0);
  return shape;
};

const flatten = (values: NestedValues): number[] =>
  Array.isArray(values) ? (values as readonly NestedValues[]).flatMap(flatten) : [Number(values)];

/** Float arrays keep their precision; integer arrays of any width become int32, as in TensorFlow.js. */
const dtypeOfInput = (values: InputArray): DType =>
  values instanceof Float32Array ? 'float32' : values instanceof Float64Array ? 'float64' : 'int32';

/** True when `values` is exactly the typed array a tensor of `dtype` is stored in. */
const isStorageFor = (values: InputArray, dtype: DType): boolean =>
  (dtype === 'float32' && values instanceof Float32Array) ||
  (dtype === 'float64' && values instanceof Float64Array) ||
  (dtype === 'int32' && values instanceof Int32Array) ||
  (dtype === 'bool' && values instanceof Uint8Array);

const isBoolean = (values: NestedValues): boolean =>
  Array.isArray(values) ? values.length > 0 && isBoolean(values[0] as NestedValues) : typeof values === 'boolean';

/**
 * Builds a tensor from nested arrays, or from a typed array plus a shape. Values are
 * copied, so later writes to the source never reach the tensor.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]);                          // float32 [2,2]
 * tensor([0, 3, 1], { dtype: 'int32' });             // int32 [3]
 * tensor(new Float32Array(6), { shape: [2, 3] });    // float32 [2,3]
 * ```
 */
export function tensor<D extends DType = 'float32'>(values: NestedValues, options?: TensorOptions<D>): Tensor<D>;
export function tensor<D extends DType = DType>(values: InputArray, options?: TensorOptions<D>): Tensor<D>;
export function tensor(values: NestedValues | InputArray, options: TensorOptions = {}): Tensor {
  const isTyped = ArrayBuffer.isView(values);
  const nestedShape = isTyped ? [values.length] : shapeOfNested(values as NestedValues);
  const shape = options.shape ?? nestedShape;
  checkShape('tensor', shape);
  const count = isTyped ? values.length : sizeOf(nestedShape);
  check(
    sizeOf(shape) === count,
    'tensor',
    () => `${count} values cannot fill shape [${shape.join(',')}] (${sizeOf(shape)} elements)`,
  );
  const inferred: DType = isTyped ? dtypeOfInput(values) : isBoolean(values as NestedValues) ? 'bool' : 'float32';
  const dtype = options.dtype ?? inferred;
  const flat = isTyped ? (values as InputArray) : flatten(values as NestedValues);
  const adopt = options.copy === false && isTyped && isStorageFor(values as InputArray, dtype);
  const stored = adopt ? (values as TypedArrayFor[typeof dtype]) : convertValues(dtype, flat);
  return fromValues(dtype, stored, shape, options.backend ?? jsBackend);
}

/**
 * A float32 tensor of `shape` whose values are `table[codes[i]]`, kept as the one-byte
 * codes (a {@link ByteCodedStorage}, which shares `codes` and never writes them): a data
 * set of 8-bit pixels used as network inputs at a quarter of float32's memory. It is a
 * float32 tensor like any other; on the CPU backends, batches gathered or sliced from it
 * decode only their own rows. `table` holds the 256 values, computed exactly as the
 * normalization would compute each pixel, so the values are bit for bit the same.
 *
 * @example
 * ```ts
 * const unit = Float32Array.from({ length: 256 }, (_, v) => v / 255);
 * const x = byteCoded(pixels, unit, [60000, 28, 28]); // 47 MB: float32 in [0, 1]
 * x.values; // the same as Float32Array.from(pixels, (v) => v / 255), decoded on request
 * ```
 */
export const byteCoded = (codes: Uint8Array, table: Float32Array, shape: Shape): Tensor<'float32'> => {
  checkShape('byteCoded', shape);
  check(
    sizeOf(shape) === codes.length,
    'byteCoded',
    () => `${codes.length} codes cannot fill shape [${shape.join(',')}] (${sizeOf(shape)} elements)`,
  );
  check(table.length === 256, 'byteCoded', () => `the table must hold 256 values, one per byte, got ${table.length}`);
  return fromStorage(new ByteCodedStorage(codes, table), shape, jsBackend);
};

/** A tensor of `shape` with every element equal to `value`. */
export const full = <D extends DType = 'float32'>(
  shape: Shape,
  value: number,
  options: CreateOptions<D> = {},
): Tensor<D> => {
  checkShape('full', shape);
  const dtype = options.dtype ?? ('float32' as D);
  const values = allocate(dtype, sizeOf(shape));
  values.fill(dtype === 'bool' ? (value ? 1 : 0) : value);
  return fromValues(dtype, values, shape, options.backend ?? jsBackend);
};

/** A tensor of zeros. */
export const zeros = <D extends DType = 'float32'>(shape: Shape, options: CreateOptions<D> = {}): Tensor<D> =>
  full(shape, 0, options);

/** A tensor of ones. */
export const ones = <D extends DType = 'float32'>(shape: Shape, options: CreateOptions<D> = {}): Tensor<D> =>
  full(shape, 1, options);

/** `value` in the shape, dtype and backend of `x`. */
export const fullLike = <D extends DType>(x: Tensor<D>, value: number): Tensor<D> =>
  full(x.shape, value, { dtype: x.dtype, backend: x.backend });

/** Zeros in the shape, dtype and backend of `x`. */
export const zerosLike = <D extends DType>(x: Tensor<D>): Tensor<D> => fullLike(x, 0);

/** Ones in the shape, dtype and backend of `x`. */
export const onesLike = <D extends DType>(x: Tensor<D>): Tensor<D> => fullLike(x, 1);

/** A rank-0 tensor. */
export const scalar = <D extends DType = 'float32'>(value: number, options: CreateOptions<D> = {}): Tensor<D> =>
  full([], value, options);

/** The `rows` x `cols` identity matrix (ones on the main diagonal). */
export const eye = <D extends DType = 'float32'>(
  rows: number,
  cols = rows,
  options: CreateOptions<D> = {},
): Tensor<D> => {
  checkShape('eye', [rows, cols]);
  const dtype = options.dtype ?? ('float32' as D);
  const values = allocate(dtype, rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) values[i * cols + i] = 1;
  return fromValues(dtype, values, [rows, cols], options.backend ?? jsBackend);
};

/**
 * Evenly spaced values in `[start, stop)` by `step`, as NumPy's `arange`; with one
 * argument, `[0, start)`.
 *
 * @example
 * ```ts
 * arange(5).toArray();        // [0, 1, 2, 3, 4]
 * arange(1, 2, 0.25).toArray(); // [1, 1.25, 1.5, 1.75]
 * ```
 */
export const arange = <D extends DType = 'float32'>(
  start: number,
  stop?: number,
  step = 1,
  options: CreateOptions<D> = {},
): Tensor<D> => {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0 || !Number.isFinite(step))
    throw new TensorError('arange', `step must be a finite non-zero number, got ${step}`);
  const count = Math.max(0, Math.ceil((to - from) / step));
  return fromFunction(count, (i) => from + i * step, options);
};

/**
 * `count` evenly spaced values from `start` to `stop` inclusive, as NumPy's `linspace`.
 */
export const linspace = <D extends DType = 'float32'>(
  start: number,
  stop: number,
  count: number,
  options: CreateOptions<D> = {},
): Tensor<D> => {
  checkShape('linspace', [count]);
  const step = count > 1 ? (stop - start) / (count - 1) : 0;
  // The last value is `stop` exactly, not `start + (count - 1) * step` rounded.
  return fromFunction(count, (i) => (i === count - 1 && count > 1 ? stop : start + i * step), options);
};

const fromFunction = <D extends DType>(
  count: number,
  f: (i: number) => number,
  options: CreateOptions<D>,
): Tensor<D> => {
  const dtype = options.dtype ?? ('float32' as D);
  const values: TypedArrayFor[D] = convertValues(
    dtype,
    Array.from({ length: count }, (_, i) => f(i)),
  );
  return fromValues(dtype, values, [count], options.backend ?? jsBackend);
};
