import type { DType, TypedArray, TypedArrayFor } from '../core/dtype.js';

/**
 * The values of a tensor, held wherever its backend computes: in host memory for CPU
 * backends, in device memory for the GPU backend. Storage is never written after it
 * is built; backends may only hand out new storage.
 */
export interface Storage<D extends DType = DType> {
  readonly dtype: D;
  /** Number of elements. */
  readonly size: number;
  /**
   * The values in host memory. Host storage returns its array; device storage
   * downloads once and caches. Callers must not write to the result.
   */
  read(): TypedArrayFor[D];
}

/** Storage whose values already live in host memory. */
export class HostStorage<D extends DType = DType> implements Storage<D> {
  readonly size: number;

  constructor(
    readonly dtype: D,
    readonly values: TypedArrayFor[D],
  ) {
    this.size = values.length;
  }

  read(): TypedArrayFor[D] {
    return this.values;
  }
}

/** Wraps host values as storage without copying; the caller gives up the array. */
export const hostStorage = <D extends DType>(dtype: D, values: TypedArrayFor[D]): HostStorage<D> =>
  new HostStorage(dtype, values);

/** Reads a storage's host values with its dtype erased, for kernels generic over dtype. */
export const readValues = (storage: Storage): TypedArray => storage.read();
