import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { idxDirectory } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePixels, writeSyntheticIdx } from './synthetic-idx.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'axon-synthetic-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const environment = { homeDir: '/nonexistent' };

describe('writeSyntheticIdx (test helper)', () => {
  it('writes IDX files that @axon/data reads back as the arrays it returns, in every file layout', async () => {
    for (const [i, layout] of (
      [{}, { gzip: true }, { names: 'mnist' }, { gzip: true, names: 'mnist' }] as const
    ).entries()) {
      const written = await writeSyntheticIdx(path.join(root, `layout-${i}`), {
        seed: i,
        classes: 3,
        trainCount: 30,
        testCount: 10,
        ...layout,
      });
      const loaded = await loadDataset(idxDirectory('idx'), { dir: written.dir, environment, download: false })();
      if (E.isLeft(loaded)) throw new Error(JSON.stringify(loaded.left));
      for (const split of ['train', 'test'] as const) {
        expect(loaded.right[split].inputs.shape).toEqual([written[split].count, 28, 28]);
        expect(loaded.right[split].inputs.values).toEqual(written[split].pixels);
        expect(Array.from(loaded.right[split].labels)).toEqual(Array.from(written[split].labels));
      }
      expect(loaded.right.train.classNames).toEqual(['0', '1', '2']);
    }
  });

  it('gives the same bytes for the same options and different ones for another seed', async () => {
    const bytes = async (name: string, seed: number): Promise<Buffer[]> => {
      const { dir } = await writeSyntheticIdx(path.join(root, name), { seed, trainCount: 20, testCount: 5 });
      return Promise.all((await readdir(dir)).sort().map((file) => readFile(path.join(dir, file))));
    };
    const [a, b, c] = await Promise.all([bytes('same-a', 5), bytes('same-b', 5), bytes('other', 6)]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('shifts labels without touching the images, and draws each class brighter where its block is', async () => {
    const options = { seed: 2, classes: 4, trainCount: 40, testCount: 4 };
    const plain = await writeSyntheticIdx(path.join(root, 'plain'), options);
    const shifted = await writeSyntheticIdx(path.join(root, 'shifted'), { ...options, labelShift: 1 });
    expect(shifted.train.pixels).toEqual(plain.train.pixels);
    expect(Array.from(shifted.train.labels)).toEqual(Array.from(plain.train.labels, (label) => (label + 1) % 4));
    // The mean image of a class is brightest in its own block: the data is learnable.
    for (let label = 0; label < 4; label++) {
      const members = Array.from(plain.train.labels.keys()).filter((i) => plain.train.labels[i] === label);
      const mean = new Float64Array(784);
      for (const i of members) samplePixels(plain.train, i).forEach((v, p) => (mean[p] += v / members.length));
      const brightest = mean.indexOf(Math.max(...mean));
      const [cellRow, cellColumn] = [Math.floor(Math.floor(brightest / 28) / 9), Math.floor((brightest % 28) / 7)];
      expect(cellRow * 4 + cellColumn).toBe(label);
    }
  });
});
