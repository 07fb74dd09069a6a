import { gunzipSync } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import type { DataError } from '../error/data-error.js';

/**
 * True when `bytes` start with the gzip magic `1f 8b`. Compression is detected by
 * content, never by file name; no IDX file can start this way, since IDX starts `00 00`.
 *
 * @example
 * ```ts
 * isGzip(Uint8Array.of(0x1f, 0x8b, 8)); // true
 * isGzip(Uint8Array.of(0, 0, 8, 1));    // false
 * ```
 */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

const gzipError = (file: string, error: unknown): DataError => {
  const detail = error instanceof Error ? error.message : String(error);
  // zlib reports a stream that stops early as Z_BUF_ERROR, damage as Z_DATA_ERROR.
  const truncated = (error as { code?: unknown } | null)?.code === 'Z_BUF_ERROR';
  return { kind: truncated ? 'truncated-gzip' : 'corrupt-gzip', file, detail };
};

/**
 * The decompressed content of `bytes` if they are gzip, else `bytes` themselves. A cut
 * or damaged stream is a `truncated-gzip` or `corrupt-gzip` error naming `file`.
 *
 * @example
 * ```ts
 * decompressIfGzip(gzipSync(Uint8Array.of(1, 2)), 'a.gz'); // right(Uint8Array [1, 2])
 * decompressIfGzip(Uint8Array.of(1, 2), 'a');              // right(Uint8Array [1, 2])
 * ```
 */
export const decompressIfGzip = (bytes: Uint8Array, file: string): E.Either<DataError, Uint8Array> =>
  isGzip(bytes) ? E.tryCatch(() => gunzipSync(bytes), (error) => gzipError(file, error)) : E.right(bytes);
