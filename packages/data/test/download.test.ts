import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mirrorUrl } from '../src/download/mirror-url.js';
import { backoffDelay, isTransient } from '../src/download/retry-policy.js';
import { decodeIdxFile, encodeIdx, renderDataError } from '../src/index.js';
import { nodeSha256Hex } from './support/sha256.js';
import { downloadVerified, type DownloadProgress } from '../src/edge/index.js';
import { serve, serveHalf, stall, startServer, type LocalServer } from './support/local-server.js';
import { leftOf } from './support/either.js';

// Hashed values do not compress, so the 200 kB body arrives in several chunks.
const hash = (i: number): number => {
  const h = Math.imul(i ^ (i >>> 15), 0x2c1b3c6d);
  return Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 24;
};
const content = encodeIdx({ type: 'u8', shape: [200_000], values: new Uint8Array(200_000).map((_, i) => hash(i)) });
const body = gzipSync(content);
const check = decodeIdxFile('labels.gz', { contentSha256: nodeSha256Hex(content), sha256: nodeSha256Hex(body) });
const fast = { retries: 2, retryDelayMs: 5, timeoutMs: 2_000 };

let dir: string;
let server: LocalServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'axon-data-download-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

const download = (paths: readonly string[], options = {}) =>
  downloadVerified(
    {
      file: 'labels.gz',
      urls: paths.map((p) => mirrorUrl(server?.baseUrl ?? '', p)),
      destination: join(dir, 'labels.gz'),
    },
    check,
    { ...fast, ...options },
  )();

describe('downloadVerified against a local server', () => {
  it('stores a verified file and reports progress up to its full length', async () => {
    server = await startServer({ '/labels.gz': serve(body) });
    const progress: DownloadProgress[] = [];
    const result = await download(['labels.gz'], { onProgress: (p: DownloadProgress) => progress.push(p) });
    expect(E.isRight(result) && result.right.shape).toEqual([200_000]);
    expect(new Uint8Array(await readFile(join(dir, 'labels.gz')))).toEqual(new Uint8Array(body));
    expect(await readdir(dir)).toEqual(['labels.gz']);
    expect(progress.at(-1)).toEqual({
      file: 'labels.gz',
      url: `${server.baseUrl}labels.gz`,
      receivedBytes: body.length,
      totalBytes: body.length,
    });
    const received = progress.map((p) => p.receivedBytes);
    expect(received.length).toBeGreaterThan(1);
    expect(received).toEqual([...received].sort((a, b) => a - b));
  });

  it('rejects a checksum mismatch, leaves nothing behind, and tries the next mirror', async () => {
    const otherContent = encodeIdx({ type: 'u8', shape: [1], values: Uint8Array.of(1) });
    const other = gzipSync(otherContent);
    server = await startServer({ '/bad/labels.gz': serve(other), '/good/labels.gz': serve(body) });
    const error = leftOf(await download(['bad/labels.gz']));
    expect(error).toMatchObject({
      kind: 'download-failed',
      attempts: [
        { problem: { kind: 'rejected', error: { kind: 'checksum-mismatch', actual: nodeSha256Hex(otherContent) } } },
      ],
    });
    expect(server.hits.get('/bad/labels.gz')).toBe(1); // a whole but wrong body is not retried
    expect(await readdir(dir)).toEqual([]);
    expect(E.isRight(await download(['bad/labels.gz', 'good/labels.gz']))).toBe(true);
  });

  it('retries a body cut off half way, then gives up leaving nothing behind', async () => {
    server = await startServer({ '/labels.gz': serveHalf(body) });
    const error = leftOf(await download(['labels.gz']));
    expect(error.kind).toBe('download-failed');
    if (error.kind !== 'download-failed') return;
    expect(error.attempts).toHaveLength(3);
    error.attempts.forEach((a) => expect(['network', 'incomplete']).toContain(a.problem.kind));
    expect(server.hits.get('/labels.gz')).toBe(3);
    expect(await readdir(dir)).toEqual([]);
  });

  it('recovers when a retry succeeds', async () => {
    server = await startServer({
      '/labels.gz': (response, attempt, request) =>
        (attempt === 0 ? serveHalf(body) : serve(body))(response, attempt, request),
    });
    expect(E.isRight(await download(['labels.gz']))).toBe(true);
    expect(server.hits.get('/labels.gz')).toBe(2);
  });

  it('gives up on a 404 at once', async () => {
    server = await startServer({});
    const error = leftOf(await download(['labels.gz']));
    expect(error).toEqual({
      kind: 'download-failed',
      file: 'labels.gz',
      attempts: [{ url: `${server.baseUrl}labels.gz`, problem: { kind: 'http-status', status: 404 } }],
    });
    expect(renderDataError(error)).toBe(`labels.gz: download failed:\n  ${server.baseUrl}labels.gz: HTTP 404`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a failure as one line per mirror with its last error, however often each was retried', async () => {
    const closed = await startServer({});
    const refused = `${closed.baseUrl}labels.gz`;
    await closed.close();
    server = await startServer({
      '/busy/labels.gz': (response, attempt) => response.writeHead(attempt < 2 ? 502 : 503).end(),
    });
    const error = leftOf(
      await downloadVerified(
        {
          file: 'labels.gz',
          urls: [refused, `${server.baseUrl}busy/labels.gz`, `${server.baseUrl}gone/labels.gz`],
          destination: join(dir, 'labels.gz'),
        },
        check,
        fast,
      )(),
    );
    expect(error.kind === 'download-failed' && error.attempts).toHaveLength(7); // 3 + 3 + 1: every attempt is kept as data
    expect(renderDataError(error).split('\n')).toEqual([
      'labels.gz: download failed:',
      expect.stringMatching(new RegExp(`^  ${refused}: fetch failed: .*ECONNREFUSED.* \\(3 attempts\\)$`)),
      `  ${server.baseUrl}busy/labels.gz: HTTP 503 (3 attempts)`,
      `  ${server.baseUrl}gone/labels.gz: HTTP 404`,
    ]);
  });

  it('times out a server that stalls', async () => {
    server = await startServer({ '/labels.gz': stall });
    const started = performance.now();
    const error = leftOf(await download(['labels.gz'], { timeoutMs: 150, retries: 1 }));
    expect(error).toMatchObject({
      attempts: [{ problem: { kind: 'timeout', ms: 150 } }, { problem: { kind: 'timeout', ms: 150 } }],
    });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a refused connection as a network problem', async () => {
    server = await startServer({});
    const url = server.baseUrl;
    await server.close();
    server = undefined;
    const result = await downloadVerified(
      { file: 'labels.gz', urls: [`${url}labels.gz`], destination: join(dir, 'labels.gz') },
      check,
      { ...fast, retries: 0 },
    )();
    expect(leftOf(result)).toMatchObject({ attempts: [{ problem: { kind: 'network' } }] });
  });
});

describe('retry policy', () => {
  it('doubles the back-off and retries only what may pass next time', () => {
    expect([0, 1, 2, 3].map((r) => backoffDelay(r, 100))).toEqual([100, 200, 400, 800]);
    expect([408, 429, 500, 503].map((status) => isTransient({ kind: 'http-status', status }))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([400, 403, 404].map((status) => isTransient({ kind: 'http-status', status }))).toEqual([
      false,
      false,
      false,
    ]);
    expect(isTransient({ kind: 'rejected', error: { kind: 'csv-empty', file: 'x' } })).toBe(false);
  });

  it('joins mirror and file names with exactly one slash', () => {
    expect(mirrorUrl('http://a/b', 'f')).toBe('http://a/b/f');
    expect(mirrorUrl('http://a/b/', 'f')).toBe('http://a/b/f');
  });
});
