// The model the playground ships reads MNIST and drawn digits; the page's model code
// (the same that runs in the browser) loads it from bytes.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnist, renderDataError } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { mnistInputFromRgba } from '@axon/digit-image';
import { coverage, one, opaqueGrey, rgba, seven, zero } from '@axon/digit-image/testing';
import { mnistDataDir } from '@axon/mnist-data';
import { classify, loadPageModel, readAxonMetadata, type PageModel } from '../src/model/page-model.js';

const modelDir = new URL('../public/model/', import.meta.url);
let pageModel: PageModel;

beforeAll(async () => {
  const modelJson = await readFile(fileURLToPath(new URL('model.json', modelDir)), 'utf8');
  const weights = [new Uint8Array(await readFile(fileURLToPath(new URL('weights.bin', modelDir))))];
  const loaded = await loadPageModel({ modelJson, weights }, 'the default model');
  if (E.isLeft(loaded)) throw new Error(loaded.left);
  pageModel = loaded.right;
});

const argmax = (values: ArrayLike<number>): number => Array.from(values).indexOf(Math.max(...Array.from(values)));

describe("the playground's default model", () => {
  it('was written by axon train, for 28×28 digits scaled by 1/255, classes 0 to 9', () => {
    expect(pageModel.inputShape).toEqual([28, 28]);
    expect(pageModel.normalization).toEqual({ kind: 'scale', scale: 1 / 255 });
    expect(pageModel.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('reads at least 95% of the first 1,000 MNIST test digits, through the page code', async () => {
    const loaded = await loadDataset(mnist, {
      bundledDir: mnistDataDir,
      download: false,
      environment: { homeDir: '/nonexistent' },
    })();
    if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
    const { inputs, labels } = loaded.right.test;
    let correct = 0;
    for (let n = 0; n < 1000; n++) {
      const pixels = Float32Array.from(inputs.values.subarray(784 * n, 784 * (n + 1)), (v) => v / 255);
      if (argmax(classify(pageModel, pixels)) === labels[n]) correct++;
    }
    expect(correct).toBeGreaterThanOrEqual(950);
  });

  it('reads synthetic 1s, 7s and 0s drawn dark on white, as the pad draws, at several sizes and places', () => {
    for (const [digit, shape] of [
      [1, one],
      [7, seven],
      [0, zero],
    ] as const) {
      for (const [side, size, left, top] of [
        [280, 200, 40, 40],
        [280, 120, 20, 140],
        [120, 100, 10, 8],
      ]) {
        const covered = coverage(shape, { width: side, height: side, left, top, size });
        const prepared = mnistInputFromRgba({
          width: side,
          height: side,
          data: rgba(covered.length, (i) => opaqueGrey(255 * (1 - covered[i]))),
        });
        if (E.isLeft(prepared)) throw new Error(prepared.left.message);
        expect(
          argmax(classify(pageModel, prepared.right)),
          `a ${digit} of ${size} px at ${left},${top} on ${side} px`,
        ).toBe(digit);
      }
    }
  });
});

describe('reading axon metadata', () => {
  it("takes a model's standardization and class names, and falls back to the tutorial's for other tools' files", () => {
    const axon = { axon: { normalization: { kind: 'standardize', mean: 33, std: 78 }, classNames: ['a', 'b'] } };
    expect(readAxonMetadata(axon, 2)).toEqual({
      normalization: { kind: 'standardize', mean: 33, std: 78 },
      classNames: ['a', 'b'],
    });
    expect(readAxonMetadata(null, 3)).toEqual({
      normalization: { kind: 'scale', scale: 1 / 255 },
      classNames: ['0', '1', '2'],
    });
    expect(
      readAxonMetadata({ axon: { normalization: { kind: 'standardize', mean: 1, std: 0 }, classNames: ['x'] } }, 2)
        .normalization,
    ).toEqual({ kind: 'scale', scale: 1 / 255 });
  });
});
