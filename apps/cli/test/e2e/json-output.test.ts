// `--json` output is for programs: every stdout line is one JSON object of a documented
// shape (the codecs in support/json-lines.ts refuse unknown fields), and the numbers
// agree with the files the run wrote.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerSpecsText, type LayerSpec } from '../../src/model/layer-spec.js';
import type { TrainingSettings } from '../../src/training/settings.js';
import { expectAllClose } from '../support/expect-close.js';
import { type DoneEvent, type EpochEvent, type StartEvent, trainingEvents } from '../support/json-lines.js';
import { loadSavedModel } from '../support/model-files.js';
import { referenceEvaluation } from '../support/reference-evaluation.js';
import { createSandbox, runAxon, type Sandbox, succeeded } from '../support/run-axon.js';
import { type SyntheticIdx, writeSyntheticIdx } from '../support/synthetic-idx.js';

let sandbox: Sandbox;
let data: SyntheticIdx;

beforeAll(async () => {
  sandbox = await createSandbox('json');
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 21, classes: 3 });
});

afterAll(() => sandbox.remove());

/** A dense layer with the run's activation, as `--layers 32` gives. */
const dense = (units: number): LayerSpec => ({ kind: 'dense', units, activation: null });

/** `flag value`, or nothing for a setting left unset. */
const optional = (flag: string, value: number | null): string[] => (value === null ? [] : [flag, String(value)]);

/** The command line for `settings`, every one of them spelled out. */
const trainArgs = (settings: TrainingSettings, out: string): string[] => [
  'train',
  '--dataset',
  settings.dataset,
  '--data-dir',
  data.dir,
  '--layers',
  layerSpecsText(settings.layers),
  '--activation',
  settings.activation,
  '--dropout',
  String(settings.dropout),
  '--optimizer',
  settings.optimizer,
  '--learning-rate',
  String(settings.learningRate),
  '--epochs',
  String(settings.epochs),
  '--batch-size',
  String(settings.batchSize),
  '--validation-split',
  String(settings.validationSplit),
  ...optional('--limit', settings.limit),
  '--seed',
  String(settings.seed),
  '--lr-schedule',
  settings.lrSchedule,
  ...optional('--lr-decay', settings.lrDecay),
  '--warmup-steps',
  String(settings.warmupSteps),
  ...optional('--weight-decay', settings.weightDecay),
  ...optional('--clip-norm', settings.clipNorm),
  ...optional('--early-stopping', settings.earlyStopping),
  ...(settings.augmentation === null
    ? []
    : [
        '--augment',
        ...Object.entries(settings.augmentation).flatMap(([setting, value]) => [`--augment-${setting}`, String(value)]),
      ]),
  '--backend',
  'js',
  '--out',
  out,
  '--json',
];

/** A run's events, in the order the documentation gives: start, one per epoch, done. */
interface Run {
  readonly start: StartEvent;
  readonly epochs: EpochEvent[];
  readonly done: DoneEvent;
}

async function trainJson(settings: TrainingSettings, out: string): Promise<Run> {
  const { stdout, stderr } = succeeded(await runAxon(trainArgs(settings, out), { sandbox }));
  expect(stderr).toBe('');
  const events = trainingEvents(stdout);
  const [start, ...rest] = events;
  const done = rest.pop();
  if (start?.event !== 'start' || done?.event !== 'done' || !rest.every((e): e is EpochEvent => e.event === 'epoch')) {
    throw new Error(`expected start, epoch…, done; got ${events.map((e) => e.event).join(', ')}`);
  }
  return { start, epochs: rest, done };
}

describe('axon train --json', () => {
  it('prints a start event with the settings, an epoch event per epoch with validation metrics, and a done event that matches the saved model', async () => {
    const settings: TrainingSettings = {
      dataset: 'idx',
      layers: [dense(32), dense(16)],
      activation: 'tanh',
      dropout: 0.1,
      optimizer: 'adamw',
      learningRate: 0.005,
      epochs: 3,
      batchSize: 50,
      validationSplit: 0.25,
      limit: 200,
      seed: 9,
      lrSchedule: 'cosine',
      lrDecay: null,
      warmupSteps: 2,
      weightDecay: 0.01,
      clipNorm: 1,
      // More than the epochs: it never stops this run, so the done event has no stoppedEarly.
      earlyStopping: 5,
      augmentation: { translation: 0.05, rotation: 0.02, zoom: 0.1, noise: 0.01, fill: 'nearest' },
    };
    const run = await trainJson(settings, 'with-validation');
    expect(run.start).toMatchObject({
      ...settings,
      trainSamples: 150,
      validationSamples: 50,
      testSamples: data.test.count,
    });
    expect(run.start.backend).toMatch(/^js\b/);
    expect(run.epochs.map((e) => [e.epoch, e.epochs])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    for (const epoch of run.epochs) {
      expect(epoch).toHaveProperty('valLoss');
      expect(epoch).toHaveProperty('valAccuracy');
      for (const metric of [epoch.loss, epoch.valLoss ?? Number.NaN]) expect(Number.isFinite(metric)).toBe(true);
      for (const fraction of [epoch.accuracy, epoch.valAccuracy ?? Number.NaN])
        expect(fraction >= 0 && fraction <= 1).toBe(true);
    }
    expect(run.done.modelDir).toBe('with-validation');

    const directory = sandbox.path('with-validation');
    const history: unknown = JSON.parse(await readFile(path.join(directory, 'history.json'), 'utf8'));
    expect(history).toEqual(
      run.epochs.map(({ epoch, loss, accuracy, seconds, valLoss, valAccuracy }) => ({
        epoch,
        loss,
        accuracy,
        seconds,
        valLoss,
        valAccuracy,
      })),
    );
    const model = await loadSavedModel(directory);
    expect(model.metadata?.training).toEqual(settings);
    const expected = referenceEvaluation(model, data.test, data.classes);
    expectAllClose([run.done.testLoss], [expected.loss]);
    expect(run.done.testAccuracy).toBeCloseTo(expected.accuracy, 12);
  });

  it('leaves the validation fields out without --validation-split', async () => {
    const settings: TrainingSettings = {
      dataset: 'idx',
      layers: [dense(8)],
      activation: 'relu',
      dropout: 0,
      optimizer: 'sgd',
      learningRate: 0.1,
      epochs: 2,
      batchSize: 64,
      validationSplit: 0,
      limit: null,
      seed: 4,
      lrSchedule: 'exponential',
      lrDecay: 0.5,
      warmupSteps: 0,
      weightDecay: null,
      clipNorm: null,
      earlyStopping: null,
      augmentation: null,
    };
    const run = await trainJson(settings, 'without-validation');
    expect(run.start).toMatchObject({ ...settings, trainSamples: data.train.count, validationSamples: 0 });
    expect(run.epochs).toHaveLength(2);
    for (const epoch of run.epochs) {
      expect(epoch).not.toHaveProperty('valLoss');
      expect(epoch).not.toHaveProperty('valAccuracy');
    }
  });
});
