// The whole workflow through the built `axon`: train on generated IDX data, then check
// the files it wrote, and that `evaluate` and `predict` report what a float64 forward
// pass over the saved weights computes in this process (and what TensorFlow.js computes).
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { treeLeaves } from '@axon/tensor';
import * as tf from '@tensorflow/tfjs';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMnistImage } from '../../src/image/read-image.js';
import { applyNormalization } from '../../src/model/axon-metadata.js';
import type { AxonSavedModel } from '../support/model-files.js';
import { formatMetric, formatPercent } from '../../src/output/format.js';
import { tutorialSettings } from '../../src/training/settings.js';
import { expectAllClose } from '../support/expect-close.js';
import { decodeLine, EvaluationJson, PredictionJson } from '../support/json-lines.js';
import { loadSavedModel } from '../support/model-files.js';
import { coverage, encodePng, opaqueGrey, rgba, seven } from '../support/png-fixtures.js';
import { argmaxOf, referenceEvaluation, referenceProbabilities } from '../support/reference-evaluation.js';
import { createSandbox, linesOf, runAxon, type Sandbox, setupTimeoutMs, succeeded } from '../support/run-axon.js';
import { samplePixels, type SyntheticIdx, writeSyntheticIdx } from '../support/synthetic-idx.js';
import { tfjsLoad, tfjsPredict } from '../support/tfjs-model.js';

const classes = 5;
const epochs = 2;
const seed = 3;

let sandbox: Sandbox;
let data: SyntheticIdx;
/** The same images as `data`, every label moved to the next class. */
let mislabeled: SyntheticIdx;
let modelDir: string;
let trainOutput: string;
let model: AxonSavedModel;

beforeAll(async () => {
  sandbox = await createSandbox('workflow');
  // Gzipped, under the public MNIST file names, as people download IDX data.
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 11, classes, gzip: true, names: 'mnist' });
  mislabeled = await writeSyntheticIdx(sandbox.path('mislabeled'), { seed: 11, classes, labelShift: 1 });
  modelDir = sandbox.path('model');
  // A relative --out, resolved against the working directory (the sandbox).
  const train = [
    'train',
    '--dataset',
    'idx',
    '--data-dir',
    data.dir,
    '--epochs',
    String(epochs),
    '--seed',
    String(seed),
    '--backend',
    'wasm',
    '--out',
    'model',
  ];
  trainOutput = succeeded(await runAxon(train, { sandbox })).stdout;
  model = await loadSavedModel(modelDir);
}, setupTimeoutMs);

afterAll(() => sandbox.remove());

const evaluateJson = async (dataDir: string, dir = modelDir, ...more: string[]): Promise<EvaluationJson> => {
  const { stdout } = succeeded(
    await runAxon(['evaluate', '--model', dir, '--data-dir', dataDir, '--backend', 'js', '--json', ...more], {
      sandbox,
    }),
  );
  expect(linesOf(stdout)).toHaveLength(1);
  return decodeLine(EvaluationJson, stdout);
};

/** `axon predict --index … --json`, run once per index and shared by the tests that compare with it. */
const predictions = new Map<number, Promise<PredictionJson>>();
const predictIndex = (index: number): Promise<PredictionJson> => {
  const run = async (): Promise<PredictionJson> => {
    const args = [
      'predict',
      '--model',
      modelDir,
      '--index',
      String(index),
      '--data-dir',
      data.dir,
      '--backend',
      'js',
      '--json',
    ];
    const { stdout } = succeeded(await runAxon(args, { sandbox }));
    expect(linesOf(stdout)).toHaveLength(1);
    return decodeLine(PredictionJson, stdout);
  };
  const prediction = predictions.get(index) ?? run();
  predictions.set(index, prediction);
  return prediction;
};

/** Test images to predict: the first, the last and one between. */
const indices = (): number[] => [0, 41, data.test.count - 1];

describe('axon train on generated IDX data', () => {
  it('prints a start line, one line per epoch and a closing line, without control characters, when stdout is not a terminal', () => {
    const lines = linesOf(trainOutput);
    expect(lines).toHaveLength(epochs + 2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^Training on idx: ${data.train.count} samples, hidden 128, 128 \\(relu\\), adam at 0.001, ${epochs} epochs of 128, seed ${seed}, backend wasm`,
      ),
    );
    lines
      .slice(1, -1)
      .forEach((line, i) =>
        expect(line).toMatch(new RegExp(`^epoch ${i + 1}/${epochs}  loss \\d+\\.\\d{4}  accuracy \\d\\.\\d{4}  `)),
      );
    const expected = referenceEvaluation(model, data.test, classes);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^test accuracy ${formatPercent(expected.accuracy).replace('.', '\\.')} \\(loss \\d\\.\\d{4}\\), trained in .*, model written to model$`,
      ),
    );
    expect(trainOutput).not.toMatch(/[\r\x1b]/);
  });

  it("writes model.json, weights.bin, the checkpoint, history.json and training.svg, which the CLI's reader loads with the settings of the run", async () => {
    expect((await readdir(modelDir)).sort()).toEqual([
      'checkpoint.bin',
      'checkpoint.json',
      'history.json',
      'model.json',
      'training.svg',
      'weights.bin',
    ]);
    expect((await readdir(sandbox.root)).filter((name) => name.includes('.tmp-') || name.includes('.old-'))).toEqual(
      [],
    );
    expect(model.inputShape).toEqual(data.sampleShape);
    expect(
      model.config.layers.map((layer) =>
        layer.kind === 'dense' ? `dense ${layer.units} ${layer.activation}` : layer.kind,
      ),
    ).toEqual(['flatten', 'dense 128 relu', 'dense 128 relu', `dense ${classes} softmax`]);
    const parameters = treeLeaves(model.params).reduce((n, weight) => n + weight.size, 0);
    expect((await readFile(path.join(modelDir, 'weights.bin'))).length).toBe(4 * parameters);
    expect(model.metadata?.training).toEqual({ ...tutorialSettings, dataset: 'idx', epochs, seed });
    expect(model.metadata?.classNames).toEqual(Array.from({ length: classes }, (_, i) => String(i)));
    const history: unknown = JSON.parse(await readFile(path.join(modelDir, 'history.json'), 'utf8'));
    expect(history).toEqual(model.metadata?.history);
    expect(model.metadata?.history.map((record) => record.epoch)).toEqual([1, 2]);
    expect(await readFile(path.join(modelDir, 'training.svg'), 'utf8')).toMatch(/^<svg[^]*<\/svg>\s*$/);
  });

  it('learns the generated classes in two epochs (so the agreements below are about a real model)', () => {
    expect(referenceEvaluation(model, data.test, classes).accuracy).toBeGreaterThanOrEqual(0.9);
  });
});

describe('axon evaluate', () => {
  it('reports the loss, accuracy, confusion matrix, precision and recall that a float64 forward pass over the saved weights gives', async () => {
    for (const split of [data, mislabeled]) {
      const report = await evaluateJson(split.dir);
      const expected = referenceEvaluation(model, split.test, classes);
      expect(report).toMatchObject({
        dataset: 'idx',
        samples: split.test.count,
        classNames: model.metadata?.classNames,
      });
      expectAllClose([report.loss], [expected.loss]);
      expect(report.accuracy).toBeCloseTo(expected.accuracy, 12);
      // Rows are true classes: on the mislabeled copy every count sits off the diagonal.
      expect(report.confusionMatrix).toEqual(expected.confusionMatrix);
      const column = (j: number): number => expected.confusionMatrix.reduce((sum, row) => sum + row[j], 0);
      const row = (i: number): number => expected.confusionMatrix[i].reduce((a, b) => a + b, 0);
      expect(report.precision).toEqual(expected.confusionMatrix.map((r, j) => r[j] / column(j)));
      expect(report.recall).toEqual(expected.confusionMatrix.map((r, i) => r[i] / row(i)));
    }
  });

  it('evaluates a copy without axon metadata (as TensorFlow.js saves models) the same, given --dataset', async () => {
    const bare = sandbox.path('model-without-metadata');
    await cp(modelDir, bare, { recursive: true });
    const json = JSON.parse(await readFile(path.join(bare, 'model.json'), 'utf8')) as { userDefinedMetadata?: unknown };
    delete json.userDefinedMetadata;
    await writeFile(path.join(bare, 'model.json'), JSON.stringify(json));
    expect(await evaluateJson(data.dir, bare, '--dataset', 'idx')).toEqual(await evaluateJson(data.dir));
  });

  it('prints the same numbers for people, and writes the confusion matrix as an SVG chart', async () => {
    const json = await evaluateJson(data.dir);
    const svg = sandbox.path('confusion.svg');
    const args = ['evaluate', '--model', modelDir, '--data-dir', data.dir, '--backend', 'js', '--confusion-svg', svg];
    const lines = linesOf(succeeded(await runAxon(args, { sandbox })).stdout);
    expect(lines[0]).toBe(
      `idx test set, ${data.test.count} samples: loss ${formatMetric(json.loss)}, accuracy ${formatPercent(json.accuracy)}`,
    );
    const matrixRows = lines.slice(-classes).map((line) => line.trim().split(/\s+/).slice(1).map(Number));
    expect(matrixRows).toEqual(json.confusionMatrix);
    expect(await readFile(svg, 'utf8')).toMatch(/^<svg[^]*<\/svg>\s*$/);
  });
});

describe('axon predict', () => {
  it('--index gives the class probabilities of a float64 forward pass over the saved weights, the top class and the true one', async () => {
    for (const index of indices()) {
      const prediction = await predictIndex(index);
      const expected = referenceProbabilities(model, samplePixels(data.test, index));
      const probabilities = prediction.probabilities.map((p) => p.probability);
      expectAllClose(probabilities, expected);
      expect(prediction.probabilities.map((p) => p.name)).toEqual(model.metadata?.classNames);
      const top = argmaxOf(probabilities);
      expect(prediction.predicted).toEqual({ index: top, name: String(top), probability: probabilities[top] });
      const label = data.test.labels[index];
      expect(prediction.label).toEqual({ index: label, name: String(label) });
    }
  });

  it('--image runs a PNG through the MNIST image pipeline and the model', async () => {
    const [width, height] = [40, 56];
    const ink = coverage(seven, { width, height, left: 4, top: 8, size: 36 });
    const file = sandbox.path('seven.png');
    await writeFile(
      file,
      encodePng(
        width,
        height,
        rgba(width * height, (i) => opaqueGrey(255 * (1 - ink[i]))),
      ),
    );
    const args = ['predict', '--model', modelDir, '--image', file, '--backend', 'js', '--json'];
    const prediction = decodeLine(PredictionJson, succeeded(await runAxon(args, { sandbox })).stdout);
    const image = await readMnistImage(file)();
    if (E.isLeft(image)) throw new Error(image.left);
    expectAllClose(
      prediction.probabilities.map((p) => p.probability),
      referenceProbabilities(
        model,
        image.right.map((v) => v * 255),
      ),
    );
    expect(prediction.label).toBeUndefined();
  });

  it('shows the test image as plain characters beside the prediction when stdout is not a terminal', async () => {
    const args = ['predict', '--model', modelDir, '--index', '0', '--data-dir', data.dir, '--backend', 'js'];
    const lines = linesOf(succeeded(await runAxon(args, { sandbox })).stdout);
    const label = data.test.labels[0];
    expect(lines).toHaveLength(data.sampleShape[0]);
    expect(lines[0]).toMatch(/ {2}predicted: \d \(\d+\.\d\d%\)$/);
    expect(lines[1]).toMatch(new RegExp(` {2}true class: ${label}$`));
    lines.forEach((line) => expect(line).toMatch(/^[ .:\-=+*#%@]{56}/));
  });
});

describe('TensorFlow.js', () => {
  beforeAll(() => tf.setBackend('cpu'));

  it('loads the model axon trained and predicts what `axon predict --json` prints', async () => {
    const tfModel = await tfjsLoad(modelDir);
    const normalization = model.metadata?.normalization;
    if (normalization === undefined) throw new Error('the model has no axon metadata');
    for (const index of indices()) {
      const printed = (await predictIndex(index)).probabilities.map((p) => p.probability);
      const sample = applyNormalization(normalization, samplePixels(data.test, index));
      expectAllClose(tfjsPredict(tfModel, model.inputShape, sample), printed);
    }
    tfModel.dispose();
  });
});
