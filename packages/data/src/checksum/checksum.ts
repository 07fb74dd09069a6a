import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import type { DataError } from '../error/data-error.js';

/**
 * The known SHA-256 digests (lowercase hex) of one dataset file. A copy is faithful when
 * its decompressed content has `contentSha256`, however it was compressed: a mirror's
 * `.gz`, a distribution's re-packed `.gz` (another header, another compression level) and
 * the raw file are all accepted, and one changed byte of content is not. `sha256`, the
 * digest of the file exactly as the mirrors serve it, is a fast path that spares hashing
 * the (much larger) content of an untouched download.
 */
export interface FileChecksums {
  readonly contentSha256: string;
  readonly sha256?: string;
}

/**
 * The SHA-256 of `bytes` as lowercase hex.
 *
 * @example
 * ```ts
 * sha256Hex(new Uint8Array()); // 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 * ```
 */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Checks a file against its known digests: `bytes` as stored against `sha256` (when
 * known), else `content` (the decompressed bytes, equal to `bytes` for a raw file)
 * against `contentSha256`. A mismatch names the content's digests.
 *
 * @example
 * ```ts
 * const sums = { contentSha256: sha256Hex(raw), sha256: sha256Hex(gz) };
 * verifyChecksums('t.gz', sums, recompressed, raw); // right(undefined)
 * ```
 */
export const verifyChecksums = (
  file: string,
  sums: FileChecksums,
  bytes: Uint8Array,
  content: Uint8Array,
): E.Either<DataError, void> => {
  if (sums.sha256 !== undefined && sha256Hex(bytes) === sums.sha256) return E.right(undefined);
  const actual = sha256Hex(content);
  return actual === sums.contentSha256
    ? E.right(undefined)
    : E.left({ kind: 'checksum-mismatch', file, expected: sums.contentSha256, actual });
};
