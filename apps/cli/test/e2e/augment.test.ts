// `axon train --augment`: every training batch is transformed from the run's seed, so an
// augmented run repeats to the byte; the settings are reported and recorded with the
// model; data that are not images are refused with one line.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { encodeIdx } from '@axon/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAugmentation } from '../../src/training/augmentation.js';
import { trainingEvents } from '../support/json-lines.js';
import { loadSavedModel } from '../support/model-files.js';
import {
  createSandbox,
  linesOf,
  outcome,
  runAxon,
  type Sandbox,
  setupTimeoutMs,
  succeeded,
} from '../support/run-axon.js';
import { syntheticFileStems, type SyntheticIdx, writeSyntheticIdx } from '../support/synthetic-idx.js';

let sandbox: Sandbox;
let data: SyntheticIdx;

const trainArgs = (out: string, ...more: string[]): string[] => [
  'train',
  '--dataset',
  'idx',
  '--data-dir',
  data.dir,
  '--epochs',
  '2',
  '--layers',
  '16',
  '--batch-size',
  '32',
  '--seed',
  '5',
  '--backend',
  'js',
  '--out',
  out,
  ...more,
];
const weightsOf = (out: string): Promise<Buffer> => readFile(sandbox.path(out, 'weights.bin'));

let augmented: ReturnType<typeof trainingEvents>;

beforeAll(async () => {
  sandbox = await createSandbox('augment');
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 12, classes: 4, trainCount: 256, testCount: 64 });
  const [first] = await Promise.all([
    runAxon(trainArgs('augmented-a', '--augment', '--augment-noise', '0.05', '--json'), { sandbox }),
    runAxon(trainArgs('augmented-b', '--augment', '--augment-noise', '0.05', '--quiet'), { sandbox }),
    runAxon(trainArgs('plain', '--quiet'), { sandbox }),
  ]).then((results) => results.map(succeeded));
  augmented = trainingEvents(first.stdout);
}, setupTimeoutMs);

afterAll(() => sandbox.remove());

describe('axon train --augment', () => {
  it('reports the augmentation in the start event and records it with the model', async () => {
    const expected = { ...defaultAugmentation, noise: 0.05 };
    expect(augmented[0]).toMatchObject({ event: 'start', augmentation: expected });
    const model = await loadSavedModel(sandbox.path('augmented-a'));
    expect(model.metadata?.training.augmentation).toEqual(expected);
    const plain = await loadSavedModel(sandbox.path('plain'));
    expect(plain.metadata?.training.augmentation).toBeNull();
  });

  it('repeats to the byte with the same seed, and trains on other batches than an unaugmented run', async () => {
    const [a, b, plain] = await Promise.all([weightsOf('augmented-a'), weightsOf('augmented-b'), weightsOf('plain')]);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(plain)).toBe(false);
  });

  it('says so in the line that opens a run', async () => {
    const { stdout } = succeeded(
      await runAxon(trainArgs('shown', '--augment', '--augment-rotation', '0.05', '--epochs', '1'), { sandbox }),
    );
    expect(linesOf(stdout)[0]).toMatch(
      /^Training on idx: 256 samples, augmented \(shifts up to 10%, turns up to 18°, zooms up to 10%, reflect fill\), hidden 16 \(relu\)/,
    );
  });

  it('refuses samples that are not images: exit status 1, one line, nothing written', async () => {
    const dir = sandbox.path('features');
    await mkdir(dir);
    const table = (rows: number) =>
      encodeIdx({ type: 'u8', shape: [rows, 12], values: Uint8Array.from({ length: rows * 12 }, (_, i) => i % 251) });
    const labels = (rows: number) =>
      encodeIdx({ type: 'u8', shape: [rows], values: Uint8Array.from({ length: rows }, (_, i) => i % 3) });
    await Promise.all([
      writeFile(path.join(dir, syntheticFileStems.trainImages), table(30)),
      writeFile(path.join(dir, syntheticFileStems.trainLabels), labels(30)),
      writeFile(path.join(dir, syntheticFileStems.testImages), table(9)),
      writeFile(path.join(dir, syntheticFileStems.testLabels), labels(9)),
    ]);
    const result = await runAxon(
      ['train', '--dataset', 'idx', '--data-dir', dir, '--augment', '--backend', 'js', '--out', sandbox.path('never')],
      { sandbox },
    );
    expect(result.status, outcome(result)).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'axon train: --augment needs images ([height, width] or [height, width, channels] per sample), but idx has samples of shape [12]\n',
    );
    expect(existsSync(sandbox.path('never'))).toBe(false);
  });

  it('refuses a tuning option without --augment: exit status 2, one line', async () => {
    const result = await runAxon(trainArgs('never', '--augment-rotation', '0.1'), { sandbox });
    expect(result.status, outcome(result)).toBe(2);
    expect(result.stderr).toBe('axon train: --augment-rotation applies only with --augment\n');
  });
});
