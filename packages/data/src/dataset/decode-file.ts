import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { sha256Hex, verifyChecksums, type FileChecksums, type Sha256 } from '../checksum/checksum.js';
import { decompressIfGzip } from '../compression/gunzip.js';
import type { DataError } from '../error/data-error.js';
import type { IdxArray } from '../idx/idx-array.js';
import { parseIdx, parseOwnedIdx } from '../idx/parse-idx.js';

/**
 * Decodes one dataset file's bytes: decompresses them if they are gzip, checks them
 * against `checksums` when given, and parses the IDX content. The stream is inflated
 * once, for both the content checksum and the parse, and its one-byte values are not
 * copied again. `sha256` hashes for the checksums (default: Web Crypto's). Runs in browsers and Node.js.
 *
 * @example
 * ```ts
 * await decodeIdxFile('t10k-labels-idx1-ubyte.gz', mnist.files.testLabels.download?.checksums)(bytes)();
 * // right({ type: 'u8', shape: [10000], values })
 * ```
 */
export const decodeIdxFile =
  (file: string, checksums: FileChecksums | undefined, sha256: Sha256 = sha256Hex) =>
  (bytes: Uint8Array): TE.TaskEither<DataError, IdxArray> =>
    pipe(
      decompressIfGzip(bytes, file),
      TE.chainFirst((content) =>
        checksums === undefined ? TE.right(undefined) : verifyChecksums(file, checksums, bytes, content, sha256),
      ),
      // Decompressed content is this function's own, so its values need no second copy.
      TE.chainEitherK((content) => (content === bytes ? parseIdx(content, file) : parseOwnedIdx(content, file))),
    );
