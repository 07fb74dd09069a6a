import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import * as R from 'fp-ts/lib/Record.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  encodeIdx,
  idxDirectory,
  mnistLayout,
  renderDataError,
  type DataError,
  type IdxDatasetSpec,
  type IdxPart,
} from '../src/index.js';
import { cacheDirectory, loadCsv, loadDataset, searchLocations, type DataEnvironment } from '../src/edge/index.js';
import { serve, startServer, type LocalServer } from './support/local-server.js';
import { leftOf } from './support/either.js';
import { gzipIf } from './support/gzip.js';
import { nodeSha256Hex } from './support/sha256.js';

/** The four files of a tiny 2×2-image dataset whose labels all equal `tag`. */
const tinyFiles = (tag: number, gzip = true): Record<IdxPart, Uint8Array> => {
  const images = (n: number) =>
    gzipIf(encodeIdx({ type: 'u8', shape: [n, 2, 2], values: new Uint8Array(n * 4).fill(tag) }), gzip);
  const labels = (n: number) =>
    gzipIf(encodeIdx({ type: 'u8', shape: [n], values: new Uint8Array(n).fill(tag) }), gzip);
  return { trainInputs: images(3), trainLabels: labels(3), testInputs: images(2), testLabels: labels(2) };
};
const fileNames: Record<IdxPart, string> = {
  trainInputs: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testInputs: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
};
const writeFiles = async (dir: string, files: Record<IdxPart, Uint8Array>, names = fileNames) => {
  await mkdir(dir, { recursive: true });
  await Promise.all(Object.entries(files).map(([part, bytes]) => writeFile(join(dir, names[part as IdxPart]), bytes)));
};

/** A downloadable dataset spec whose checksums are those of `tinyFiles(tag)`. */
const tinySpec = (tag: number, mirrors: readonly string[] = []): IdxDatasetSpec<'u8'> => {
  return {
    name: 'tiny',
    classNames: Array.from({ length: 10 }, (_, i) => `c${i}`),
    inputTypes: ['u8'],
    sampleShape: [2, 2],
    mirrors,
    files: mnistLayout(
      R.map((bytes: Uint8Array) => ({ contentSha256: nodeSha256Hex(gunzipSync(bytes)), sha256: nodeSha256Hex(bytes) }))(
        tinyFiles(tag),
      ),
    ),
  };
};

const trainTag = <A extends { train: { labels: Int32Array } }>(result: E.Either<DataError, A>): number | string =>
  E.isRight(result) ? result.right.train.labels[0] : renderDataError(result.left);

let root: string;
let env: DataEnvironment;
let server: LocalServer | undefined;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'axon-data-load-'));
  env = { axonDataDir: join(root, 'data'), xdgCacheHome: join(root, 'xdg'), homeDir: join(root, 'home') };
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(root, { recursive: true, force: true });
});

describe('search locations', () => {
  it('are the dir option, $AXON_DATA_DIR/<name>, the cache, then the bundled copy', () => {
    expect(
      searchLocations(
        'mnist',
        { axonDataDir: '/d', xdgCacheHome: '/x', homeDir: '/h' },
        { dir: '/given', bundledDir: '/app/mnist' },
      ),
    ).toEqual([
      { dir: '/given', origin: 'dir option' },
      { dir: '/d/mnist', origin: 'AXON_DATA_DIR' },
      { dir: '/x/axon/mnist', origin: 'cache' },
      { dir: '/app/mnist', origin: 'bundled copy' },
    ]);
    expect(searchLocations('mnist', { axonDataDir: '', homeDir: '/h' })).toEqual([
      { dir: '/h/.cache/axon/mnist', origin: 'cache' },
    ]);
  });

  it('fall back to ~/.cache when XDG_CACHE_HOME is unset, empty or relative', () => {
    for (const xdgCacheHome of [undefined, '', 'relative/cache']) {
      expect(cacheDirectory({ homeDir: '/h', ...(xdgCacheHome === undefined ? {} : { xdgCacheHome }) }, 'm')).toBe(
        '/h/.cache/axon/m',
      );
    }
  });
});

describe('loadDataset', () => {
  const spec = idxDirectory(
    'tiny',
    Array.from({ length: 10 }, (_, i) => `c${i}`),
  );

  it('looks in the dir option first, then $AXON_DATA_DIR, then the cache, then the bundled copy', async () => {
    const given = join(root, 'given');
    const bundledDir = join(root, 'bundled');
    await writeFiles(given, tinyFiles(1));
    await writeFiles(join(root, 'data', 'tiny'), tinyFiles(2));
    await writeFiles(cacheDirectory(env, 'tiny'), tinyFiles(3));
    await writeFiles(bundledDir, tinyFiles(4));
    expect(trainTag(await loadDataset(spec, { dir: given, bundledDir, environment: env })())).toBe(1);
    expect(trainTag(await loadDataset(spec, { bundledDir, environment: env })())).toBe(2);
    expect(trainTag(await loadDataset(spec, { bundledDir, environment: { ...env, axonDataDir: undefined } })())).toBe(
      3,
    );
    await rm(cacheDirectory(env, 'tiny'), { recursive: true });
    expect(trainTag(await loadDataset(spec, { bundledDir, environment: { ...env, axonDataDir: undefined } })())).toBe(
      4,
    );
  });

  it('takes the bundled copy before downloading, and verifies it', async () => {
    server = await startServer({});
    const bundledDir = join(root, 'bundled');
    await writeFiles(bundledDir, tinyFiles(5));
    expect(trainTag(await loadDataset(tinySpec(5, [server.baseUrl]), { bundledDir, environment: env })())).toBe(5);
    expect(server.hits.size).toBe(0);
    const error = leftOf(await loadDataset(tinySpec(6, [server.baseUrl]), { bundledDir, environment: env })());
    expect(error).toMatchObject({ kind: 'checksum-mismatch', file: join(bundledDir, fileNames.trainInputs) });
  });

  it('reads a generic IDX directory, raw and gzipped files mixed, any names after the stem', async () => {
    const raw = tinyFiles(4, false);
    const gz = tinyFiles(4, true);
    await writeFiles(
      join(root, 'mixed'),
      { ...raw, testLabels: gz.testLabels },
      {
        trainInputs: 'train-images',
        trainLabels: 'train-labels.idx',
        testInputs: 't10k-images-idx3-ubyte',
        testLabels: 't10k-labels-idx1-ubyte.gz',
      },
    );
    const result = await loadDataset(idxDirectory('mine'), {
      dir: join(root, 'mixed'),
      environment: env,
      download: false,
    })();
    expect(result).toEqual(
      E.right({
        train: {
          inputs: { values: new Uint8Array(12).fill(4), shape: [3, 2, 2] },
          labels: new Int32Array(3).fill(4),
          classNames: ['0', '1', '2', '3', '4'],
        },
        test: {
          inputs: { values: new Uint8Array(8).fill(4), shape: [2, 2, 2] },
          labels: new Int32Array(2).fill(4),
          classNames: ['0', '1', '2', '3', '4'],
        },
      }),
    );
  });

  it('with no local copy and no download, says where it looked and how to give a directory', async () => {
    const error = leftOf(await loadDataset(spec, { dir: join(root, 'nothing'), environment: env, download: false })());
    expect(error).toMatchObject({ kind: 'not-found', dataset: 'tiny', file: 'train-images' });
    const message = renderDataError(error);
    expect(message).toContain(`${join(root, 'nothing')} (dir option)`);
    expect(message).toContain(`${join(root, 'data', 'tiny')} (AXON_DATA_DIR)`);
    expect(message).toContain(`${join(root, 'xdg', 'axon', 'tiny')} (cache)`);
    expect(message).toMatch(
      /pass a directory holding train-images, train-labels, t10k-images, t10k-labels .* or set AXON_DATA_DIR/,
    );
    expect(message).not.toContain('\n');
  });

  it("with no network, says where it looked, each mirror's last error, and what to do", async () => {
    const closed = await startServer({});
    const refused = closed.baseUrl;
    await closed.close();
    server = await startServer({ '/busy/train-images-idx3-ubyte.gz': (response) => response.writeHead(503).end() });
    const mirrors = [refused, `${server.baseUrl}busy/`, `${server.baseUrl}gone/`];
    const error = leftOf(await loadDataset(tinySpec(5, mirrors), { environment: env, retryDelayMs: 1 })());
    expect(error).toMatchObject({ kind: 'not-found', file: 'train-images', download: { kind: 'download-failed' } });
    expect(renderDataError(error).split('\n')).toEqual([
      `tiny: train-images not found; looked in ${join(root, 'data', 'tiny')} (AXON_DATA_DIR), ${join(root, 'xdg', 'axon', 'tiny')} (cache); downloading it failed:`,
      expect.stringMatching(
        new RegExp(`^  ${refused}train-images-idx3-ubyte\\.gz: fetch failed: .*ECONNREFUSED.* \\(3 attempts\\)$`),
      ),
      `  ${server.baseUrl}busy/train-images-idx3-ubyte.gz: HTTP 503 (3 attempts)`,
      `  ${server.baseUrl}gone/train-images-idx3-ubyte.gz: HTTP 404`,
      'To use a copy you have, pass a directory holding train-images, train-labels, t10k-images, t10k-labels (IDX, gzipped or not) ' +
        'as `dir` (--data-dir in the CLI), or set AXON_DATA_DIR to a folder holding tiny/.',
    ]);
  });

  it('downloads missing files into the cache, then loads them from there without the network', async () => {
    const files = tinyFiles(6);
    server = await startServer(
      Object.fromEntries(
        Object.entries(fileNames).map(([part, name]) => [`/m/${name}`, serve(files[part as IdxPart])]),
      ),
    );
    const spec6 = tinySpec(6, [`${server.baseUrl}m/`]);
    expect(trainTag(await loadDataset(spec6, { environment: env, retryDelayMs: 5 })())).toBe(6);
    expect((await readdir(cacheDirectory(env, 'tiny'))).sort()).toEqual(Object.values(fileNames).sort());
    await server.close();
    server = undefined;
    expect(trainTag(await loadDataset(spec6, { environment: env, download: false })())).toBe(6);
  });

  it('a base URL the caller gives replaces the mirrors', async () => {
    const files = tinyFiles(7);
    server = await startServer(
      Object.fromEntries(
        Object.entries(fileNames).map(([part, name]) => [`/alt/${name}`, serve(files[part as IdxPart])]),
      ),
    );
    const result = await loadDataset(tinySpec(7, ['http://127.0.0.1:9/never/']), {
      baseUrl: `${server.baseUrl}alt`,
      environment: env,
    })();
    expect(trainTag(result)).toBe(7);
  });

  it('verifies local copies of known datasets unless told not to', async () => {
    await writeFiles(join(root, 'given'), tinyFiles(8));
    const error = leftOf(
      await loadDataset(tinySpec(9), { dir: join(root, 'given'), environment: env, download: false })(),
    );
    expect(error).toMatchObject({ kind: 'checksum-mismatch', file: join(root, 'given', fileNames.trainInputs) });
    expect(
      trainTag(await loadDataset(tinySpec(9), { dir: join(root, 'given'), environment: env, verify: false })()),
    ).toBe(8);
  });

  it('checks the files against each other: counts and class range', async () => {
    const files = tinyFiles(1);
    await writeFiles(join(root, 'given'), { ...files, testLabels: tinyFiles(1).trainLabels });
    const error = leftOf(await loadDataset(spec, { dir: join(root, 'given'), environment: env, download: false })());
    expect(renderDataError(error)).toBe(
      `${join(root, 'given', fileNames.testLabels)}: 3 labels for the 2 samples in ${join(root, 'given', fileNames.testInputs)}`,
    );
    await writeFiles(join(root, 'other'), tinyFiles(12));
    expect(
      leftOf(await loadDataset(spec, { dir: join(root, 'other'), environment: env, download: false })()),
    ).toMatchObject({
      kind: 'label-out-of-range',
      label: 12,
      classCount: 10,
    });
  });

  it('passes parse errors through with the full path', async () => {
    await writeFiles(join(root, 'given'), { ...tinyFiles(1), trainInputs: Uint8Array.of(0x1f, 0x8b, 8, 0, 1, 2) });
    const error = leftOf(await loadDataset(spec, { dir: join(root, 'given'), environment: env, download: false })());
    expect(error).toMatchObject({ kind: 'truncated-gzip', file: join(root, 'given', fileNames.trainInputs) });
  });
});

describe('loadCsv', () => {
  it('reads a file and names it in errors', async () => {
    const file = join(root, 'd.csv');
    await writeFile(file, 'a,b,label\n1,2,x\n3,4,y\n');
    expect(await loadCsv(file, { label: 'label' })()).toMatchObject(
      E.right({ labels: Int32Array.of(0, 1), classNames: ['x', 'y'] }),
    );
    expect(leftOf(await loadCsv(join(root, 'missing.csv'), { label: 0 })())).toMatchObject({
      kind: 'read-failed',
      file: join(root, 'missing.csv'),
    });
  });
});
