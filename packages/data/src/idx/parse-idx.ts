import * as E from 'fp-ts/lib/Either.js';
import { sizeOf } from '@axon/tensor';
import type { DataError } from '../error/data-error.js';
import type { IdxArray } from './idx-array.js';
import { idxTypeOfCode, idxTypes, type IdxType } from './idx-type.js';

/** The fixed part of an IDX header: two zero bytes, the type code, the rank. */
const MAGIC_BYTES = 4;
const DIMENSION_BYTES = 4;

/** Copies the big-endian payload at `offset` into a new host-order typed array. */
const readValues = (type: IdxType, bytes: Uint8Array, offset: number, length: number): IdxArray['values'] => {
  const info = idxTypes[type];
  const values = info.allocate(length);
  if (info.bytes === 1) {
    new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + length));
    return values;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, length * info.bytes);
  for (let i = 0; i < length; i++) values[i] = info.read(view, i * info.bytes);
  return values;
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
export const parseIdx = (bytes: Uint8Array, file: string): E.Either<DataError, IdxArray> => {
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
  return E.right({ type, shape, values: readValues(type, bytes, headerBytes, length) } as IdxArray);
};

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
