// Fashion-MNIST as Debian ships it (package dataset-fashion-mnist, which CI installs): the
// original files re-packed, their gzip headers rewritten. It must load, from a directory
// or from a mirror serving it, and it is where the decompressed digests in `fashionMnist`
// come from, which this file re-derives.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { fashionMnist, idxParts, renderDataError, type IdxPart } from '../src/index.js';
import { nodeSha256Hex } from './support/sha256.js';
import { cacheDirectory, loadDataset } from '../src/edge/index.js';
import { serve, startServer } from './support/local-server.js';

const dir = '/usr/share/datasets/fashion-mnist';
const present = existsSync(dir);
const skipNote = present ? '' : ` (skipped: no ${dir}; Debian: apt-get install dataset-fashion-mnist)`;

/**
 * What Debian's packaging changed in each original `.gz`: it dropped the file name
 * (FNAME) and set the time stamp to the package's build time, leaving the compressed
 * data and the trailer alone. These are the originals' values.
 */
const originalHeader: Record<IdxPart, { readonly name: string; readonly mtime: number }> = {
  trainInputs: { name: 'train-images-idx3-ubyte', mtime: 1504176606 }, // 2017-08-31 10:50:06 UTC
  trainLabels: { name: 'train-labels-idx1-ubyte', mtime: 1504176606 },
  testInputs: { name: 't10k-images-idx3-ubyte', mtime: 1504176627 }, // 10:50:27 UTC
  testLabels: { name: 't10k-labels-idx1-ubyte', mtime: 1504176627 },
};

/** A gzip file with the FNAME field and time stamp put back (RFC 1952, section 2.3). */
const restoreHeader = (
  gz: Uint8Array,
  { name, mtime }: { readonly name: string; readonly mtime: number },
): Uint8Array => {
  expect(gz[3]).toBe(0); // no optional fields: the re-packed header is the bare 10 bytes
  const header = Buffer.from(gz.subarray(0, 10));
  header[3] = 0x08;
  header.writeUInt32LE(mtime, 4);
  return Buffer.concat([header, Buffer.from(`${name}\0`, 'latin1'), gz.subarray(10)]);
};

describe("Debian's re-packed Fashion-MNIST", () => {
  it.skipIf(!present)(`is not byte-identical to the mirror's files, and loads all the same${skipNote}`, async () => {
    for (const part of idxParts) {
      const file = join(dir, fashionMnist.files[part].download?.fileName ?? '');
      expect(nodeSha256Hex(readFileSync(file))).not.toBe(fashionMnist.files[part].download?.checksums.sha256);
    }
    const result = await loadDataset(fashionMnist, {
      dir,
      download: false,
      environment: { homeDir: '/nonexistent' },
    })();
    if (E.isLeft(result)) throw new Error(renderDataError(result.left));
    const { train, test } = result.right;
    expect([train.inputs.shape, test.inputs.shape]).toEqual([
      [60000, 28, 28],
      [10000, 28, 28],
    ]);
    // Published facts: 6,000 training and 1,000 test images per class.
    const counts = (labels: Int32Array) => labels.reduce((c, l) => (c[l]++, c), new Array<number>(10).fill(0));
    expect(counts(train.labels)).toEqual(new Array(10).fill(6000));
    expect(counts(test.labels)).toEqual(new Array(10).fill(1000));
  });

  it.skipIf(!present)(
    `becomes the mirror's files again once the header is restored, so its content digests are the originals'${skipNote}`,
    () => {
      for (const part of idxParts) {
        const download = fashionMnist.files[part].download;
        const gz = readFileSync(join(dir, download?.fileName ?? ''));
        const original = restoreHeader(gz, originalHeader[part]);
        expect(nodeSha256Hex(original), part).toBe(download?.checksums.sha256);
        expect(nodeSha256Hex(gunzipSync(gz)), part).toBe(download?.checksums.contentSha256);
      }
    },
  );

  it.skipIf(!present)(`downloads from a mirror that serves it, verifies it and caches it${skipNote}`, async () => {
    const files = idxParts.map((part) => fashionMnist.files[part].download?.fileName ?? '');
    const server = await startServer(
      Object.fromEntries(files.map((name) => [`/fashion/${name}`, serve(readFileSync(join(dir, name)))])),
    );
    const home = await mkdtemp(join(tmpdir(), 'axon-data-fashion-'));
    try {
      const environment = { homeDir: home };
      const result = await loadDataset(fashionMnist, { baseUrl: `${server.baseUrl}fashion/`, environment })();
      if (E.isLeft(result)) throw new Error(renderDataError(result.left));
      expect(result.right.test.labels.length).toBe(10000);
      expect((await readdir(cacheDirectory(environment, 'fashion-mnist'))).sort()).toEqual([...files].sort());
    } finally {
      await server.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});
