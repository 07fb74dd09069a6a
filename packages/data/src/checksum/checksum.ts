import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
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

/** The part of Web Crypto's `SubtleCrypto` used here. */
interface Digest {
  digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

const subtleCrypto = (): Digest | undefined => (globalThis as { crypto?: { subtle?: Digest } }).crypto?.subtle;

/**
 * The SHA-256 of `bytes` as lowercase hex, through the web-standard `crypto.subtle`
 * (native in Node.js and in browsers). Browsers offer it only in secure contexts (https,
 * or a page on localhost); elsewhere this rejects with an error that says so.
 *
 * @example
 * ```ts
 * await sha256Hex(new Uint8Array()); // 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 * ```
 */
export const sha256Hex = async (bytes: Uint8Array): Promise<string> => {
  const subtle = subtleCrypto();
  if (subtle === undefined) {
    throw new Error(
      'SHA-256 needs crypto.subtle, which browsers offer only to secure contexts (https, or a page on localhost)',
    );
  }
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
};

/** Computes the SHA-256 of some bytes as lowercase hex, as {@link sha256Hex} does. */
export type Sha256 = (bytes: Uint8Array) => Promise<string>;

/**
 * Checks a file against its known digests: `bytes` as stored against `sha256` (when
 * known), else `content` (the decompressed bytes, equal to `bytes` for a raw file)
 * against `contentSha256`. A mismatch names the content's digests. `sha256` hashes
 * (default {@link sha256Hex}); Node.js passes one that hashes in place, since Web Crypto
 * copies its input first, a second copy of the whole decompressed file.
 *
 * @example
 * ```ts
 * const sums = { contentSha256: await sha256Hex(raw), sha256: await sha256Hex(gz) };
 * await verifyChecksums('t.gz', sums, recompressed, raw)(); // right(undefined)
 * ```
 */
export const verifyChecksums =
  (
    file: string,
    sums: FileChecksums,
    bytes: Uint8Array,
    content: Uint8Array,
    sha256: Sha256 = sha256Hex,
  ): TE.TaskEither<DataError, void> =>
  async () => {
    try {
      if (sums.sha256 !== undefined && (await sha256(bytes)) === sums.sha256) return E.right(undefined);
      const actual = await sha256(content);
      return actual === sums.contentSha256
        ? E.right(undefined)
        : E.left({ kind: 'checksum-mismatch', file, expected: sums.contentSha256, actual });
    } catch (error) {
      return E.left({ kind: 'unverifiable', file, detail: error instanceof Error ? error.message : String(error) });
    }
  };
