import * as E from 'fp-ts/lib/Either.js';
import { predict } from '@axon/nn';
import { tensor } from '@axon/tensor';
import { loadSplits } from '../data/load-data.js';
import { fitInput } from '../data/fit-input.js';
import { readMnistImage } from '../image/read-image.js';
import { applyNormalization } from '../model/axon-metadata.js';
import { datasetFor, openModel, type ReadyModel } from '../model/open-model.js';
import type { PredictConfig } from '../options/predict-options.js';
import { formatPercent } from '../output/format.js';
import { artStyleFor, imageArt, sideBySide } from '../output/terminal-art.js';
import type { CommandIo } from './command-io.js';
import type { CommandFailure } from './failure.js';

/** What `axon predict` found for one image. */
export interface PredictionReport {
  readonly predicted: { readonly index: number; readonly name: string; readonly probability: number };
  readonly probabilities: readonly { readonly name: string; readonly probability: number }[];
  /** The true class, for a test image chosen with `--index`. */
  readonly label?: { readonly index: number; readonly name: string };
}

/** An image to classify: its raw pixels (0–255, row-major) and, for a test image, its label. */
interface Subject {
  readonly pixels: Float32Array;
  readonly shape: readonly number[];
  readonly label?: number;
}

/**
 * The report for people: the top class, then each class's probability with a bar.
 *
 * @example
 * predictionLines(report); // ['predicted: 7 (99.12%)', '  0  0.00%', …]
 */
export function predictionLines(report: PredictionReport): string[] {
  const width = Math.max(...report.probabilities.map((p) => p.name.length));
  const truth = report.label === undefined ? [] : [`true class: ${report.label.name}`];
  return [
    `predicted: ${report.predicted.name} (${formatPercent(report.predicted.probability)})`,
    ...truth,
    ...report.probabilities.map(
      (p) => `  ${p.name.padEnd(width)} ${formatPercent(p.probability).padStart(7)} ${'█'.repeat(Math.round(p.probability * 20))}`,
    ),
  ];
}

const subjectOf = async (config: PredictConfig, ready: ReadyModel): Promise<E.Either<string, Subject>> => {
  if (config.input.kind === 'image') {
    const image = await readMnistImage(config.input.path)();
    // The image pipeline gives MNIST-like values in [0, 1]; the model's normalization starts from raw pixels.
    return E.isLeft(image) ? image : E.right({ pixels: image.right.map((v) => v * 255), shape: [28, 28] });
  }
  const { index } = config.input;
  const dataset = datasetFor(ready, config.dataset);
  if (E.isLeft(dataset)) return dataset;
  const splits = await loadSplits(dataset.right, config.dataDir, () => undefined)();
  if (E.isLeft(splits)) return splits;
  const { inputs, labels } = splits.right.test;
  if (index >= labels.length) return E.left(`--index ${index}: the ${dataset.right} test set has ${labels.length} images (0 to ${labels.length - 1})`);
  const shape = inputs.shape.slice(1);
  const size = shape.reduce((a, b) => a * b, 1);
  return E.right({ pixels: Float32Array.from(inputs.values.subarray(index * size, (index + 1) * size)), shape, label: labels[index] });
};

/**
 * `axon predict`: class probabilities and the top class for a PNG image (converted to a
 * centred 28×28 grey digit the way MNIST's were made) or a test image by index, shown
 * beside the prediction as terminal art.
 *
 * @example
 * await runPredict({ command: 'predict', model: 'model', input: { kind: 'index', index: 0 }, … }, io);
 */
export async function runPredict(config: PredictConfig, io: CommandIo): Promise<E.Either<CommandFailure, void>> {
  const ready = await openModel(config.model, config);
  if (E.isLeft(ready)) return E.left(`axon predict: ${ready.left}`);
  const { model, params, inputShape, normalization, classNames, backend } = ready.right;
  try {
    const subject = await subjectOf(config, ready.right);
    if (E.isLeft(subject)) return E.left(`axon predict: ${subject.left}`);
    const { pixels, shape, label } = subject.right;
    const x = fitInput(tensor(applyNormalization(normalization, pixels), { shape: [1, ...shape], copy: false }), inputShape, 'the image');
    if (E.isLeft(x)) return E.left(`axon predict: ${x.left}`);
    const probabilities = Array.from(predict(model, params, x.right).values);
    const top = probabilities.indexOf(Math.max(...probabilities));
    const report: PredictionReport = {
      predicted: { index: top, name: classNames[top], probability: probabilities[top] },
      probabilities: probabilities.map((probability, i) => ({ name: classNames[i], probability })),
      ...(label === undefined ? {} : { label: { index: label, name: classNames[label] ?? String(label) } }),
    };
    if (config.json) {
      io.stdout.write(`${JSON.stringify(report)}\n`);
      return E.right(undefined);
    }
    const lines = predictionLines(report);
    const art =
      config.input.kind === 'index' && shape.length === 2
        ? imageArt({ width: shape[1], height: shape[0], pixels: pixels.map((v) => v / 255) }, artStyleFor(io.stdout.isTTY === true, io.env))
        : [];
    io.stdout.write(`${sideBySide(art, lines).join('\n')}\n`);
    return E.right(undefined);
  } finally {
    await backend.close();
  }
}
