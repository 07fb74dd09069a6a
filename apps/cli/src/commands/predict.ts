import * as E from 'fp-ts/lib/Either.js';
import { predict } from '@axon/nn';
import { tensor } from '@axon/tensor';
import { fitInput } from '../data/fit-input.js';
import { subjectOf } from '../data/subject.js';
import { applyNormalization } from '../model/axon-metadata.js';
import { openModel } from '../model/open-model.js';
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
      (p) =>
        `  ${p.name.padEnd(width)} ${formatPercent(p.probability).padStart(7)} ${'█'.repeat(Math.round(p.probability * 20))}`,
    ),
  ];
}

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
  const { model, params, state, inputShape, normalization, classNames, backend } = ready.right;
  try {
    const subject = await subjectOf(config.input, config, ready.right);
    if (E.isLeft(subject)) return E.left(`axon predict: ${subject.left}`);
    const { pixels, shape, label } = subject.right;
    const x = fitInput(
      tensor(applyNormalization(normalization, pixels), { shape: [1, ...shape], copy: false }),
      inputShape,
      'the image',
    );
    if (E.isLeft(x)) return E.left(`axon predict: ${x.left}`);
    const probabilities = Array.from(predict(model, params, x.right, { state }).values);
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
        ? imageArt(
            { width: shape[1], height: shape[0], pixels: pixels.map((v) => v / 255) },
            artStyleFor(io.stdout.isTTY === true, io.env),
          )
        : [];
    io.stdout.write(`${sideBySide(art, lines).join('\n')}\n`);
    return E.right(undefined);
  } finally {
    await backend.close();
  }
}
