import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flow } from 'fp-ts/lib/function.js';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  batchAt,
  flatten,
  mapInputs,
  mnist,
  renderDataError,
  scaleToUnit,
  sha256Hex,
  shuffledOrder,
} from '../src/index.js';
import { loadDataset } from '../src/edge/index.js';

/** `../shared/data/mnist` from the repository root, which is three levels above this folder. */
const dir = fileURLToPath(new URL('../../../../shared/data/mnist', import.meta.url));
const present = existsSync(join(dir, 'SHA256SUMS'));
const skipNote = present ? '' : ` (skipped: no real MNIST at ${dir})`;

describe('real MNIST', () => {
  it.skipIf(!present)(`the shared files match their SHA256SUMS${skipNote}`, async () => {
    const lines = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n');
    for (const line of lines) {
      const [sum, name] = line.split(/\s+/);
      expect(await sha256Hex(readFileSync(join(dir, name)))).toBe(sum);
    }
  });

  it.skipIf(!present)(`loads and verifies 60,000 + 10,000 images and labels${skipNote}`, async () => {
    const result = await loadDataset(mnist, { dir, download: false, environment: { homeDir: '/nonexistent' } })();
    if (E.isLeft(result)) throw new Error(renderDataError(result.left));
    const { train, test } = result.right;
    expect(train.inputs.shape).toEqual([60000, 28, 28]);
    expect(test.inputs.shape).toEqual([10000, 28, 28]);
    expect([train.labels.length, test.labels.length]).toEqual([60000, 10000]);
    // Published facts about MNIST: the first training labels, and the class counts.
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    const counts = new Array<number>(10).fill(0);
    train.labels.forEach((l) => counts[l]++);
    expect(counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);

    const scaled = mapInputs(flow(scaleToUnit, flatten))(train);
    const batch = batchAt(scaled, shuffledOrder(0, 0, 60000), 468, { batchSize: 128 });
    expect(batch.inputs.shape).toEqual([60000 - 468 * 128, 784]);
    expect(batch.inputs.values.every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});
