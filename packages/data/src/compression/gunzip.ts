import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
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

/**
 * `bytes` as a stream of one chunk, to pipe through a web-standard (de)compression
 * stream; unlike a `Blob`'s stream, it does not copy them.
 */
const streamOf = (bytes: Uint8Array): ReadableStream<Uint8Array<ArrayBuffer>> =>
  new ReadableStream<Uint8Array<ArrayBuffer>>({
    start: (controller) => {
      controller.enqueue(bytes as Uint8Array<ArrayBuffer>);
      controller.close();
    },
  });

/**
 * Deflate expands data at most 1032-fold, so a gzip trailer claiming more is damaged; such
 * a claim is not used to size the output.
 */
const MAX_DEFLATE_RATIO = 1032;

/**
 * The decompressed size the trailer of a gzip stream records (ISIZE, the last four bytes,
 * little-endian: the size modulo 2^32 of the last member), or 0 when it is not plausible.
 * Only a hint for sizing the output: the inflater checks it against the real content.
 */
const recordedSize = (bytes: Uint8Array): number => {
  if (bytes.length < 18) return 0;
  const size = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true);
  return size <= bytes.length * MAX_DEFLATE_RATIO ? size : 0;
};

/**
 * Everything a stream yields, in one array. Each chunk is copied into an output
 * allocated once at `expectedLength` (grown by doubling when the stream yields more) as
 * it arrives, so no chunk outlives its copy: holding them all until the end would keep
 * the content twice in memory, the second time in thousands of small allocations the
 * process seldom hands back to the system.
 */
const readAll = async (stream: ReadableStream<Uint8Array>, expectedLength = 0): Promise<Uint8Array> => {
  // The reader, not `Response.arrayBuffer()`: browsers hide the stream's error behind "Failed to fetch".
  const reader = stream.getReader();
  let out = new Uint8Array(expectedLength);
  let length = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    const chunk = next.value;
    if (length + chunk.length > out.length) {
      const grown = new Uint8Array(Math.max(length + chunk.length, 2 * out.length));
      grown.set(out.subarray(0, length));
      out = grown;
    }
    out.set(chunk, length);
    length += chunk.length;
  }
  return length === out.length ? out : out.slice(0, length);
};

const gzipError = (file: string, error: unknown): DataError => {
  const detail = error instanceof Error ? error.message : String(error);
  // Node.js (zlib) reports a stream that stops early as Z_BUF_ERROR; Chromium says "truncated".
  const truncated = (error as { code?: unknown } | null)?.code === 'Z_BUF_ERROR' || /truncated/i.test(detail);
  return { kind: truncated ? 'truncated-gzip' : 'corrupt-gzip', file, detail };
};

/**
 * The decompressed content of `bytes` if they are gzip, else `bytes` themselves. A cut
 * or damaged stream (its CRC-32 and length are checked) is a `truncated-gzip` or
 * `corrupt-gzip` error naming `file`. Uses the web-standard `DecompressionStream`,
 * native in browsers and Node.js alike.
 *
 * @example
 * ```ts
 * await decompressIfGzip(await gzip(Uint8Array.of(1, 2)), 'a.gz')(); // right(Uint8Array [1, 2])
 * await decompressIfGzip(Uint8Array.of(1, 2), 'a')();                // right(Uint8Array [1, 2])
 * ```
 */
export const decompressIfGzip =
  (bytes: Uint8Array, file: string): TE.TaskEither<DataError, Uint8Array> =>
  async () => {
    if (!isGzip(bytes)) return E.right(bytes);
    try {
      return E.right(await readAll(streamOf(bytes).pipeThrough(new DecompressionStream('gzip')), recordedSize(bytes)));
    } catch (error) {
      return E.left(gzipError(file, error));
    }
  };

/**
 * `bytes` gzipped (web-standard `CompressionStream`), as the public MNIST files are.
 *
 * @example
 * ```ts
 * const gz = await gzip(encodeIdx({ type: 'u8', shape: [2], values: Uint8Array.of(7, 3) }));
 * isGzip(gz); // true
 * ```
 */
export const gzip = (bytes: Uint8Array): Promise<Uint8Array> =>
  readAll(streamOf(bytes).pipeThrough(new CompressionStream('gzip')));
