import { setTimeout as sleep } from 'node:timers/promises';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { backoffDelay, isTransient } from '../download/retry-policy.js';
import type { DataError, DownloadAttempt, DownloadProblem } from '../error/data-error.js';
import { writeFileAtomically } from './files.js';

/** The part of `fetch` downloads use; inject one to route requests elsewhere, e.g. in tests. */
export type FetchLike = (url: string, init: { readonly signal: AbortSignal }) => Promise<Response>;

/** How far a download has got, for a progress bar. */
export interface DownloadProgress {
  readonly file: string;
  readonly url: string;
  readonly receivedBytes: number;
  /** From `Content-Length`; absent when the server does not say. */
  readonly totalBytes?: number;
}

/** Network settings for downloads. */
export interface DownloadOptions {
  /** Default: the global `fetch`. */
  readonly fetch?: FetchLike;
  /** Give up on an attempt when no bytes arrive for this long. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Further attempts per mirror after a transient failure. Default 2. */
  readonly retries?: number;
  /** The wait before the first retry, doubled for each further one. Default 500 ms. */
  readonly retryDelayMs?: number;
  /** Called as bytes arrive (the CLI draws its bar from this). */
  readonly onProgress?: (progress: DownloadProgress) => void;
}

/** What to download: a display name, the URLs to try in order, and where to store it. */
export interface DownloadRequest {
  readonly file: string;
  readonly urls: readonly string[];
  readonly destination: string;
}

const describeError = (error: unknown): string => {
  // undici wraps the socket error ("ECONNREFUSED", "other side closed") as the cause.
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
};

const concat = (chunks: readonly Uint8Array[], length: number): Uint8Array => {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
};

const fetchBody = async (
  url: string,
  file: string,
  options: DownloadOptions,
): Promise<E.Either<DownloadProblem, Uint8Array>> => {
  const { fetch: fetchLike = fetch, timeoutMs = 30_000, onProgress } = options;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // An idle timeout, re-armed by every chunk: a slow but steady download is fine, a stall is not.
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), timeoutMs);
  };
  arm();
  try {
    const response = await fetchLike(url, { signal: controller.signal });
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      return E.left({ kind: 'http-status', status: response.status });
    }
    const length = response.headers.get('content-length');
    // With a Content-Encoding, the announced length counts encoded bytes, not these.
    const totalBytes =
      length !== null && response.headers.get('content-encoding') === null ? Number(length) : undefined;
    const chunks: Uint8Array[] = [];
    let receivedBytes = 0;
    const reader = response.body.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      arm();
      chunks.push(next.value);
      receivedBytes += next.value.length;
      onProgress?.({ file, url, receivedBytes, ...(totalBytes === undefined ? {} : { totalBytes }) });
    }
    if (totalBytes !== undefined && receivedBytes !== totalBytes) {
      return E.left({ kind: 'incomplete', expected: totalBytes, received: receivedBytes });
    }
    return E.right(concat(chunks, receivedBytes));
  } catch (error) {
    return E.left(
      controller.signal.aborted
        ? { kind: 'timeout', ms: timeoutMs }
        : { kind: 'network', detail: describeError(error) },
    );
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Downloads a file and keeps it only if `check` accepts its bytes. Mirrors are tried in
 * order; a transient failure (time-out, broken connection, short body, 5xx) is retried
 * on the same URL with exponential back-off, while a 4xx or a rejected body moves on to
 * the next mirror. Accepted bytes are written to a temporary file and renamed to
 * `destination`, so no failure ever leaves a file there that looks valid. Resolves to
 * `check`'s result, or a `download-failed` error listing every attempt.
 *
 * @example
 * ```ts
 * await downloadVerified(
 *   { file: 't10k-labels-idx1-ubyte.gz', urls: [url], destination },
 *   decodeIdxFile('t10k-labels-idx1-ubyte.gz', checksums),
 *   { onProgress: (p) => bar.update(p.receivedBytes / (p.totalBytes ?? 1)) },
 * )();
 * ```
 */
export const downloadVerified =
  <A>(
    request: DownloadRequest,
    check: (bytes: Uint8Array) => TE.TaskEither<DataError, A>,
    options: DownloadOptions = {},
  ): TE.TaskEither<DataError, A> =>
  async () => {
    const { retries = 2, retryDelayMs = 500 } = options;
    const attempts: DownloadAttempt[] = [];
    for (const url of request.urls) {
      for (let retry = 0; ; retry++) {
        const body = await fetchBody(url, request.file, options);
        const checked = E.isLeft(body)
          ? body
          : pipe(
              await check(body.right)(),
              E.bimap(
                (error): DownloadProblem => ({ kind: 'rejected', error }),
                (value) => ({ bytes: body.right, value }),
              ),
            );
        if (E.isRight(checked)) {
          return pipe(
            await writeFileAtomically(request.destination, checked.right.bytes)(),
            E.map(() => checked.right.value),
          );
        }
        attempts.push({ url, problem: checked.left });
        if (!isTransient(checked.left) || retry >= retries) break;
        await sleep(backoffDelay(retry, retryDelayMs));
      }
    }
    return E.left({ kind: 'download-failed', file: request.file, attempts });
  };
