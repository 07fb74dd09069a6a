import { ByteCodedStorage, type Storage, type TypedArrayFor } from '@axon/tensor';
import type { WasmRuntime } from '../runtime/runtime.js';
import { WasmStorage, type ResidentDType } from '../runtime/resident.js';

/**
 * Copying rows into wasm memory, from host arrays or from other resident storage: how a
 * training batch is gathered from a data set kept on the host, in one copy. Rows of a
 * byte-coded data set (8-bit pixels, see `byteCoded`) are decoded on the way.
 */

/** The values of `x` to copy from: its host array, or its live view in wasm memory (no copy either way). */
const sourceOf = <D extends ResidentDType>(runtime: WasmRuntime, x: Storage<D>): TypedArrayFor[D] =>
  x instanceof WasmStorage ? runtime.memory.viewOf(x as WasmStorage<D>) : x.read();

/**
 * `out[o, j, i] = x[o, indices[j], i]` for `x` of `[outer, axisSize, inner]`, into a new
 * resident storage. Int32 results (labels, indices) also keep the host copy they were
 * made from, since ops check such values on the host.
 */
export const gather = <D extends ResidentDType>(
  runtime: WasmRuntime,
  x: Storage<D>,
  indices: Storage<'int32'>,
  outer: number,
  axisSize: number,
  inner: number,
): WasmStorage<D> => {
  const { memory } = runtime;
  const picked = indices.read();
  const count = picked.length;
  const size = outer * count * inner;
  const fromHost = !(x instanceof WasmStorage);
  if (fromHost && x.dtype === 'int32') {
    const values = new Int32Array(size);
    copyRows(x.read() as Int32Array, values, 0, picked, outer, axisSize, inner);
    const out = memory.allocate('int32', size, values);
    memory.viewOf(out).set(values);
    memory.countGathered(values.byteLength);
    return out as WasmStorage<D>;
  }
  const out = memory.allocate(x.dtype, size);
  // Read the source after allocating: a grown memory has a new view.
  const target = x.dtype === 'float32' ? runtime.heap.f32 : runtime.heap.i32;
  if (x instanceof ByteCodedStorage)
    decodeCodes(runtime, x, out, size, (bytes, at) => copyRows(x.codes, bytes, at, picked, outer, axisSize, inner));
  else copyRows(sourceOf(runtime, x), target, out.address >> 2, picked, outer, axisSize, inner);
  if (fromHost) memory.countGathered(out.bytes);
  return out;
};

/** Bytes of a byte-code table: 256 float32 values. */
const TABLE_BYTES = 1024;

/**
 * Decodes `n` codes of `x` into `out`: `place` writes them into the wasm memory at the
 * address it is given, after the table, in scratch; one kernel call then looks them up
 * (about twice as fast as decoding in JavaScript, and faster than copying the floats).
 */
const decodeCodes = (
  runtime: WasmRuntime,
  x: ByteCodedStorage,
  out: WasmStorage,
  n: number,
  place: (bytes: Uint8Array, at: number) => void,
): void => {
  const { heap, kernels } = runtime;
  const table = heap.scratch(TABLE_BYTES + n);
  heap.f32.set(x.table, table >> 2);
  place(heap.u8, table + TABLE_BYTES);
  kernels.decodeBytes(table + TABLE_BYTES, table, out.address, n);
};

const copyRows = <A extends Float32Array | Int32Array | Uint8Array>(
  source: A,
  target: A,
  start: number,
  picked: Int32Array,
  outer: number,
  axisSize: number,
  inner: number,
): void => {
  let to = start;
  for (let o = 0; o < outer; o++) {
    const block = o * axisSize * inner;
    for (let j = 0; j < picked.length; j++) {
      const from = block + picked[j] * inner;
      target.set(source.subarray(from, from + inner), to);
      to += inner;
    }
  }
};

/** A contiguous run of `x`'s elements copied into a new resident storage. */
export const sliceRun = <D extends ResidentDType>(
  runtime: WasmRuntime,
  x: Storage<D>,
  first: number,
  length: number,
): WasmStorage<D> => {
  const { memory } = runtime;
  const out = memory.allocate(x.dtype, length);
  if (x instanceof ByteCodedStorage)
    decodeCodes(runtime, x, out, length, (bytes, at) => bytes.set(x.codes.subarray(first, first + length), at));
  else memory.viewOf(out).set(sourceOf(runtime, x).subarray(first, first + length));
  if (!(x instanceof WasmStorage)) memory.countGathered(out.bytes);
  return out;
};
