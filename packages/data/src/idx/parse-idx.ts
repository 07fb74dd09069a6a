import * as E from 'fp-ts/lib/Either.js';
import { sizeOf } from '@axon/tensor';
import type { DataError } from '../error/data-error.js';
import type { IdxArray } from './idx-array.js';
import { idxTypeOfCode, idxTypes, type IdxType } from './idx-type.js';

/** The fixed part of an IDX header: two zero bytes, the type code, the rank. */
const MAGIC_BYTES = 4;
const DIMENSION_BYTES = 4;

/**
 * The big-endian payload at `offset` as a host-order typed array: copied into a new one,
 * or, for the one-byte types when `copy` is false, a view of `bytes` themselves.
 */
const readValues = (
  type: IdxType,
  bytes: Uint8Array,
  offset: number,
  length: number,
  copy: boolean,
): IdxArray['values'] => {
  const info = idxTypes[type];
  if (!copy && type === 'u8') return bytes.subarray(offset, offset + length);
  if (!copy && type === 'i8') return new Int8Array(bytes.buffer, bytes.byteOffset + offset, length);
  const values = info.allocate(length);
  if (info.bytes === 1) {
    new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + length));
    return values;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, length * info.bytes);
  for (let i = 0; i < length; i++) values[i] = info.read(view, i * info.bytes);
  return values;
};

/** Parses `bytes`; `copy` false lets one-byte values be a view of them. */
const parseWith = (bytes: Uint8Array, file: string, copy: boolean): E.Either<DataError, IdxArray> => {
  const magic = Array.from(bytes.subarray(0, MAGIC_BYTES));
  if (magic.slice(0, 2).some((b) => b !== 0)) return E.left({ kind: 'bad-magic', file, magic });
  if (bytes.length < MAGIC_BYTES) {
    return E.left({ kind: 'truncated-header', file, expected: MAGIC_BYTES, actual: bytes.length });
  }
  const type = idxTypeOfCode(bytes[2]);
  if (type === undefined) return E.left({ kind: 'unknown-type', file, code: bytes[2] });
  const rank = bytes[3];
  const headerBytes = MAGIC_BYTES + DIMENSION_BYTES * rank;
  if (bytes.length < headerBytes) {
    return E.left({ kind: 'truncated-header', file, expected: headerBytes, actual: bytes.length });
  }
  const header = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const shape = Array.from({ length: rank }, (_, d) => header.getUint32(MAGIC_BYTES + DIMENSION_BYTES * d));
  // A product past 2^53 is inexact, but then it dwarfs any file and still fails the check.
  const length = sizeOf(shape);
  const expected = length * idxTypes[type].bytes;
  const actual = bytes.length - headerBytes;
  if (actual !== expected) return E.left({ kind: 'data-length', file, type, shape, expected, actual });
  return E.right({ type, shape, values: readValues(type, bytes, headerBytes, length, copy) } as IdxArray);
};

/**
 * Parses the bytes of an uncompressed IDX file of any element type and rank (gzipped
 * files go through {@link decodeIdxFile}, which decompresses them first). Never throws:
 * every malformed input is a {@link DataError} naming `file` (`bad-magic`, `unknown-type`,
 * `truncated-header`, `data-length`). The values are copied, so the result owns its buffer.
 *
 * @example
 * ```ts
 * const bytes = Uint8Array.of(0, 0, 0x08, 1, 0, 0, 0, 2, 7, 3);
 * parseIdx(bytes, 'labels.idx'); // right({ type: 'u8', shape: [2], values: Uint8Array [7, 3] })
 * ```
 */
export const parseIdx = (bytes: Uint8Array, file: string): E.Either<DataError, IdxArray> =>
  parseWith(bytes, file, true);

/**
 * {@link parseIdx} for bytes the caller hands over and never touches again, such as a
 * freshly decompressed file: one-byte values (`u8`, `i8`, MNIST's pixels and labels)
 * are a view of `bytes` rather than a copy, which would hold the content twice.
 *
 * @example
 * ```ts
 * parseOwnedIdx(Uint8Array.of(0, 0, 0x08, 1, 0, 0, 0, 2, 7, 3), 'labels.idx'); // right({ type: 'u8', shape: [2], values: Uint8Array [7, 3] })
 * ```
 */
export const parseOwnedIdx = (bytes: Uint8Array, file: string): E.Either<DataError, IdxArray> =>
  parseWith(bytes, file, false);

/**
 * Parses an IDX file of any element type and rank, gzip-compressed or raw (detected by
 * content). Never throws: every malformed input is a {@link DataError} naming `file`
 * (`bad-magic`, `unknown-type`, `truncated-header`, `data-length`, `truncated-gzip`,
 * `corrupt-gzip`). The values are copied, so the result owns its buffer.
 *
 * @example
 * ```ts
 * const bytes = Uint8Array.of(0, 0, 0x08, 1, 0, 0, 0, 2, 7, 3);
 * parseIdx(bytes, 'labels.idx'); // right({ type: 'u8', shape: [2], values: Uint8Array [7, 3] })
 * ```
 */
