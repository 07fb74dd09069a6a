import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { mnist, renderDataError, sha256Hex } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { mnistDataDir } from '../src/index.js';

describe('the bundled MNIST', () => {
  it('is the four files the mnist spec downloads, and nothing else', () => {
    const names = Object.values(mnist.files).map((f) => f.download?.fileName);
    expect(readdirSync(mnistDataDir).sort()).toEqual([...names].sort());
  });

  it('holds the original content: three files as the mirrors serve them, one recompressed', async () => {
    const files = Object.values(mnist.files);
    const asServed = await Promise.all(
      files.map(
        async ({ download }) =>
          download !== undefined &&
          (await sha256Hex(readFileSync(join(mnistDataDir, download.fileName)))) === download.checksums.sha256,
      ),
    );
    const untouched = files.filter((_, i) => asServed[i]);
    expect(untouched.map((f) => f.stem).sort()).toEqual(['t10k-images', 't10k-labels', 'train-labels']);
  });

  it('loads and verifies as the bundled copy, with nothing else to find and no network', async () => {
    const empty = { axonDataDir: '/nonexistent/data', xdgCacheHome: '/nonexistent/cache', homeDir: '/nonexistent' };
    const fetchNothing = () => Promise.reject(new Error('no network in this test'));
    const result = await loadDataset(mnist, { bundledDir: mnistDataDir, environment: empty, fetch: fetchNothing })();
    if (E.isLeft(result)) throw new Error(renderDataError(result.left));
    const { train, test } = result.right;
    expect([train.inputs.shape, test.inputs.shape]).toEqual([
      [60000, 28, 28],
      [10000, 28, 28],
    ]);
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  });
});
