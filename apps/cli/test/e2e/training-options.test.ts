// The training options beyond the tutorial reach the library from the command line:
// early stopping keeps the best epoch's weights, schedules, weight decay, clipping,
// adagrad and the other activations train and are recorded with the model, and
// `evaluate --batch-size` measures the same whatever the batch.
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { encodeIdx } from '@axon/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingEvents } from '../support/json-lines.js';
import { loadSavedModel } from '../support/model-files.js';
import { referenceEvaluation } from '../support/reference-evaluation.js';
import { createSandbox, runAxon, type Sandbox, succeeded } from '../support/run-axon.js';
import {
  type SyntheticIdx,
  type SyntheticSplit,
  syntheticFileStems,
  writeSyntheticIdx,
} from '../support/synthetic-idx.js';

let sandbox: Sandbox;
let data: SyntheticIdx;

beforeAll(async () => {
  sandbox = await createSandbox('training-options');
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 81, classes: 4 });
});

afterAll(() => sandbox.remove());

const trainOn = (dir: string, out: string, ...more: string[]): string[] => [
  'train',
  '--dataset',
  'idx',
  '--data-dir',
  dir,
  '--backend',
  'js',
  '--seed',
  '3',
  '--out',
  sandbox.path(out),
  '--json',
  ...more,
];

/** Metrics of one epoch, as history.json holds them. */
interface EpochMetrics {
  readonly epoch: number;
  readonly valLoss: number;
}

describe('--early-stopping', () => {
  it('stops once the validation loss has not improved for PATIENCE epochs, and keeps the weights of the best epoch', async () => {
    // Labels scrambled against the pictures: a network can only memorize them, so the
    // loss on held-out samples soon rises while the training loss falls.
    const scrambled = sandbox.path('scrambled');
    const labels = data.train.labels.map((label, i) => (label + i) % data.classes);
    await writeSyntheticIdx(scrambled, { seed: 81, classes: 4 });
    await writeFile(
      path.join(scrambled, syntheticFileStems.trainLabels),
      encodeIdx({ type: 'u8', shape: [labels.length], values: labels }),
    );
    const patience = 2;
    const args = trainOn(
      scrambled,
      'stopped',
      '--layers',
      '64',
      '--optimizer',
      'adam',
      '--learning-rate',
      '0.01',
      '--epochs',
      '40',
      '--validation-split',
      '0.25',
      '--early-stopping',
      String(patience),
    );
    const { stdout } = succeeded(await runAxon(args, { sandbox }));

    const done = trainingEvents(stdout).at(-1);
    if (done?.event !== 'done' || done.stoppedEarly === undefined)
      throw new Error(`expected a done event saying training stopped early:\n${stdout}`);
    const { epoch, bestEpoch } = done.stoppedEarly;
    expect(epoch).toBeLessThan(40);
    expect(epoch - bestEpoch).toBe(patience);
    const history = JSON.parse(await readFile(sandbox.path('stopped', 'history.json'), 'utf8')) as EpochMetrics[];
    expect(history).toHaveLength(epoch);
    const losses = history.map((record) => record.valLoss);
    expect(losses.indexOf(Math.min(...losses)) + 1).toBe(bestEpoch);

    // The saved weights are the best epoch's: on the held-out samples (the last quarter) they score its loss, not the last one's.
    const cut = Math.floor(data.train.count * 0.75);
    const size = data.sampleShape[0] * data.sampleShape[1];
    const validation: SyntheticSplit = {
      pixels: data.train.pixels.subarray(cut * size),
      labels: labels.subarray(cut),
      count: data.train.count - cut,
    };
    const model = await loadSavedModel(sandbox.path('stopped'));
    const { loss } = referenceEvaluation(model, validation, data.classes);
    expect(Math.abs(loss - losses[bestEpoch - 1])).toBeLessThan(1e-4 * Math.max(1, loss));
    expect(Math.abs(loss - losses[epoch - 1])).toBeGreaterThan(1e-3);
    expect(model.metadata?.training.earlyStopping).toBe(patience);
  });
});

describe('schedules, weight decay, clipping, adagrad and another activation', () => {
  it('train together, are recorded with the model, and evaluate alike whatever --batch-size', async () => {
    const args = trainOn(
      data.dir,
      'everything',
      '--layers',
      '16',
      '--activation',
      'softplus',
      '--optimizer',
      'adagrad',
      '--learning-rate',
      '0.05',
      '--lr-schedule',
      'exponential',
      '--lr-decay',
      '0.8',
      '--warmup-steps',
      '3',
      '--weight-decay',
      '0.001',
      '--clip-norm',
      '1',
      '--epochs',
      '3',
    );
    const { stdout } = succeeded(await runAxon(args, { sandbox }));
    const [start] = trainingEvents(stdout);
    const recorded = {
      activation: 'softplus',
      optimizer: 'adagrad',
      lrSchedule: 'exponential',
      lrDecay: 0.8,
      warmupSteps: 3,
      weightDecay: 0.001,
      clipNorm: 1,
      earlyStopping: null,
    };
    expect(start).toMatchObject(recorded);
    const model = await loadSavedModel(sandbox.path('everything'));
    expect(model.metadata?.training).toMatchObject(recorded);

    const expected = referenceEvaluation(model, data.test, data.classes);
    // Learnt, despite the warm-up, the decay and the clipping.
    expect(expected.accuracy).toBeGreaterThan(0.5);
    for (const batchSize of ['1', '7', '1000']) {
      const evaluated = succeeded(
        await runAxon(
          [
            'evaluate',
            '--model',
            sandbox.path('everything'),
            '--data-dir',
            data.dir,
            '--backend',
            'js',
            '--batch-size',
            batchSize,
            '--json',
          ],
          { sandbox },
        ),
      );
      const report = JSON.parse(evaluated.stdout) as { loss: number; confusionMatrix: number[][] };
      expect(report.confusionMatrix).toEqual(expected.confusionMatrix);
      expect(Math.abs(report.loss - expected.loss)).toBeLessThan(1e-5 * Math.max(1, expected.loss));
    }
  });
});
