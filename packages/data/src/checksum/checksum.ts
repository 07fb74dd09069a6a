import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import type { DataError } from '../error/data-error.js';

/**
 * The known SHA-256 digests (lowercase hex) of one dataset file: of the file as the
 * mirrors serve it, and, where known, of its decompressed content. A file passes when
 * either matches, so a copy recompressed with other gzip settings is still accepted.
 */
export interface FileChecksums {
  readonly sha256: string;
  readonly contentSha256?: string;
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
 * Checks a file against its known digests: `bytes` as stored, then `content` (the
 * decompressed bytes, equal to `bytes` for a raw file) if the table knows the content's
 * digest. The content is only hashed when the stored bytes do not match.
 *
 * @example
 * ```ts
 * const sums = { sha256: sha256Hex(gz), contentSha256: sha256Hex(raw) };
 * verifyChecksums('t.gz', sums, recompressed, raw); // right(undefined)
 * ```
 */
export const verifyChecksums = (
  file: string,
  sums: FileChecksums,
  bytes: Uint8Array,
  content: Uint8Array,
): E.Either<DataError, void> => {
  const actual = sha256Hex(bytes);
  if (actual === sums.sha256) return E.right(undefined);
  if (sums.contentSha256 !== undefined && sha256Hex(content) === sums.contentSha256) return E.right(undefined);
  return E.left({ kind: 'checksum-mismatch', file, expected: sums.sha256, actual });
};
