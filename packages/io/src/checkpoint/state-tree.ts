import { Tensor, tensor, type Backend, type DType, type Shape } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';

// Training state as JSON plus raw tensor bytes. Optimizer states are trees of whatever
// the optimizer keeps (tensors, step counts, nested tuples and records), so the
// encoding is generic: a tensor becomes a reference into the bytes, a number that JSON
// cannot spell exactly (-0, NaN, ±Infinity) a tagged string, and anything a checkpoint
// cannot hold (a function, a class instance) is refused by its path.

/** A tensor's place in the checkpoint's bytes. */
export interface TensorEntry {
  readonly dtype: DType;
  readonly shape: Shape;
  /** Byte offset in the data, a multiple of 8. */
  readonly offset: number;
}

/** What a tree of training state may hold. */
export type StateTree =
  Tensor | number | string | boolean | null | readonly StateTree[] | { readonly [key: string]: StateTree };

const bytesPer: Readonly<Record<DType, number>> = { float32: 4, float64: 8, int32: 4, bool: 1 };
const alignment = 8;

/** Collects tensors' bytes, little-endian, each at an 8-byte-aligned offset. */
export class TensorSink {
  readonly entries: TensorEntry[] = [];
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  /** Adds a tensor's values and returns its index. */
  add(x: Tensor): number {
    const values = x.values;
    const bytes = new Uint8Array(values.length * bytesPer[x.dtype]);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (x.dtype === 'float32') view.setFloat32(i * 4, v, true);
      else if (x.dtype === 'float64') view.setFloat64(i * 8, v, true);
      else if (x.dtype === 'int32') view.setInt32(i * 4, v, true);
      else view.setUint8(i, v);
    }
    const offset = Math.ceil(this.size / alignment) * alignment;
    if (offset > this.size) this.parts.push(new Uint8Array(offset - this.size));
    this.parts.push(bytes);
    this.size = offset + bytes.length;
    this.entries.push({ dtype: x.dtype, shape: x.shape, offset });
    return this.entries.length - 1;
  }

  /** All bytes, in order. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

const isPlainObject = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === 'object' &&
  u !== null &&
  (Object.getPrototypeOf(u) === Object.prototype || Object.getPrototypeOf(u) === null);

/** Keys that mark a tagged value; a record using one is itself wrapped, so nothing is ambiguous. */
const tags = ['$tensor', '$number', '$record'];

/**
 * A tree as JSON, its tensors added to `sink`. Left names the path of the first
 * value a checkpoint cannot hold.
 *
 * @example
 * encodeTree({ count: 3, mu: [w] }, sink, 'optState'); // right({ count: 3, mu: [{ $tensor: 0 }] })
 */
export function encodeTree(tree: unknown, sink: TensorSink, path: string): E.Either<string, unknown> {
  if (tree instanceof Tensor) return E.right({ $tensor: sink.add(tree) });
  if (typeof tree === 'number')
    return E.right(
      Number.isFinite(tree) && !Object.is(tree, -0) ? tree : { $number: Object.is(tree, -0) ? '-0' : String(tree) },
    );
  if (typeof tree === 'string' || typeof tree === 'boolean' || tree === null) return E.right(tree);
  if (Array.isArray(tree)) {
    const items: unknown[] = [];
    for (const [i, item] of (tree as readonly unknown[]).entries()) {
      const encoded = encodeTree(item, sink, `${path}/${i}`);
      if (E.isLeft(encoded)) return encoded;
      items.push(encoded.right);
    }
    return E.right(items);
  }
  if (isPlainObject(tree)) {
    const record: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(tree)) {
      const encoded = encodeTree(value, sink, `${path}/${key}`);
      if (E.isLeft(encoded)) return encoded;
      record[key] = encoded.right;
    }
    return E.right(Object.keys(record).some((key) => tags.includes(key)) ? { $record: record } : record);
  }
  const what = typeof tree === 'object' ? `a ${(tree as object).constructor?.name ?? 'object'}` : `a ${typeof tree}`;
  return E.left(
    `${path} holds ${what}, which a checkpoint cannot store (tensors, numbers, strings, booleans, arrays and plain records only)`,
  );
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * Rebuilds a tree from its JSON and the checkpoint's bytes, tensors on `backend` (the
 * plain TypeScript one unless given). Left names the path of the first value that is
 * not a valid encoding.
 *
 * @example
 * decodeTree({ count: 3, mu: [{ $tensor: 0 }] }, entries, data, 'optState'); // right({ count: 3, mu: [Tensor] })
 */
export function decodeTree(
  json: unknown,
  entries: readonly TensorEntry[],
  data: Uint8Array,
  path: string,
  backend?: Backend,
): E.Either<string, StateTree> {
  if (typeof json === 'number' || typeof json === 'string' || typeof json === 'boolean' || json === null)
    return E.right(json);
  if (Array.isArray(json)) {
    const items: StateTree[] = [];
    for (const [i, item] of json.entries()) {
      const decoded = decodeTree(item, entries, data, `${path}/${i}`, backend);
      if (E.isLeft(decoded)) return decoded;
      items.push(decoded.right);
    }
    return E.right(items);
  }
  if (!isRecord(json)) return E.left(`${path}: expected a value of a training state, got ${typeof json}`);
  const keys = Object.keys(json);
  if (keys.length === 1 && keys[0] === '$tensor') return tensorAt(json.$tensor, entries, data, path, backend);
  if (keys.length === 1 && keys[0] === '$number') {
    const spelled = json.$number;
    const value =
      spelled === '-0'
        ? -0
        : spelled === 'NaN'
          ? Number.NaN
          : spelled === 'Infinity'
            ? Infinity
            : spelled === '-Infinity'
              ? -Infinity
              : undefined;
    return value === undefined
      ? E.left(`${path}: expected "-0", "NaN", "Infinity" or "-Infinity", got ${JSON.stringify(spelled)}`)
      : E.right(value);
  }
  const record = keys.length === 1 && keys[0] === '$record' && isRecord(json.$record) ? json.$record : json;
  const out: Record<string, StateTree> = {};
  for (const [key, value] of Object.entries(record)) {
    const decoded = decodeTree(value, entries, data, `${path}/${key}`, backend);
    if (E.isLeft(decoded)) return decoded;
    out[key] = decoded.right;
  }
  return E.right(out);
}

function tensorAt(
  index: unknown,
  entries: readonly TensorEntry[],
  data: Uint8Array,
  path: string,
  backend?: Backend,
): E.Either<string, Tensor> {
  const entry = typeof index === 'number' && Number.isInteger(index) ? entries[index] : undefined;
  if (entry === undefined)
    return E.left(`${path}: expected the index of one of the ${entries.length} tensors, got ${JSON.stringify(index)}`);
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const size = count * bytesPer[entry.dtype];
  if (entry.offset + size > data.byteLength)
    return E.left(
      `${path}: its ${size} bytes at ${entry.offset} run past the end of the data (${data.byteLength} bytes)`,
    );
  const view = new DataView(data.buffer, data.byteOffset + entry.offset, size);
  const read = (i: number): number =>
    entry.dtype === 'float32'
      ? view.getFloat32(i * 4, true)
      : entry.dtype === 'float64'
        ? view.getFloat64(i * 8, true)
        : entry.dtype === 'int32'
          ? view.getInt32(i * 4, true)
          : view.getUint8(i);
  const values =
    entry.dtype === 'float32'
      ? new Float32Array(count)
      : entry.dtype === 'float64'
        ? new Float64Array(count)
        : entry.dtype === 'int32'
          ? new Int32Array(count)
          : new Uint8Array(count);
  for (let i = 0; i < count; i++) values[i] = read(i);
  return E.right(
    tensor(values, {
      shape: entry.shape,
      dtype: entry.dtype,
      copy: false,
      ...(backend === undefined ? {} : { backend }),
    }),
  );
}
