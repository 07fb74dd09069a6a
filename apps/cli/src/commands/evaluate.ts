import * as E from 'fp-ts/lib/Either.js';
import { evaluate, losses, metrics, predict } from '@axon/nn';
import type { NdArray } from '@axon/data';
import type { RgbaImage } from '@axon/explain';
import { argmax, type Tensor } from '@axon/tensor';
import { checkSplit } from '../data/check-split.js';
import { loadSplits } from '../data/load-data.js';
import { fitInput } from '../data/fit-input.js';
import { prepare } from '../data/prepare.js';
import { writeFileAtomically } from '@axon/io/node';
import { datasetFor, openModel } from '../model/open-model.js';
import type { EvaluateConfig } from '../options/evaluate-options.js';
import { confusionChartSvg } from '../output/charts/confusion-chart.js';
import { formatMetric, formatPercent } from '../output/format.js';
import { errorsGrid, type Mistake } from '../output/picture/errors-grid.js';
import { pngBytes } from '../output/picture/png-bytes.js';
import { mostConfidentMistakes, type MistakeRecord } from '../output/mistakes.js';
import type { CommandIo } from './command-io.js';
import type { CommandFailure } from './failure.js';

/** What `axon evaluate` measures. Rows of the confusion matrix are true classes. */
export interface EvaluationReport {
  readonly dataset: string;
  readonly samples: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly classNames: readonly string[];
  readonly precision: readonly number[];
  readonly recall: readonly number[];
  readonly confusionMatrix: readonly (readonly number[])[];
  /** With `--errors`: the test samples the model gets most confidently wrong, most confident first. */
  readonly mistakes?: readonly MistakeRecord[];
}

/**
 * The grid `--errors` draws: each mistake's raw image (0–255) with its true and predicted
 * class. Left when the samples are not images.
 */
const errorsPicture = (report: EvaluationReport, inputs: NdArray): E.Either<string, RgbaImage> => {
  const [, height, width, ...rest] = inputs.shape;
  if (height === undefined || width === undefined || rest.length > 0) {
    return E.left(
      `--errors draws images, but the ${report.dataset} test set has samples of shape [${inputs.shape.slice(1).join(',')}]`,
    );
  }
  const mistakes = report.mistakes ?? [];
  const size = height * width;
  const tiles: Mistake[] = mistakes.map((m) => ({
    image: {
      width,
      height,
      pixels: Float32Array.from(inputs.values.subarray(m.index * size, (m.index + 1) * size), (v) => v / 255),
    },
    trueName: report.classNames[m.label],
    predictedName: report.classNames[m.predicted],
    confidence: m.confidence,
  }));
  const wrong = report.confusionMatrix.flatMap((row, i) => row.filter((_, j) => j !== i)).reduce((a, b) => a + b, 0);
  const title =
    wrong === 0
      ? `no mistakes on the ${report.samples.toLocaleString('en-US')} test images`
      : `the ${mistakes.length} most confident of ${wrong.toLocaleString('en-US')} mistakes on ${report.samples.toLocaleString('en-US')} test images`;
  return E.right(errorsGrid(title, tiles, Math.min(8, Math.max(1, Math.ceil(Math.sqrt(tiles.length))))));
};

/** Rows of a square matrix tensor as nested arrays of numbers. */
const rowsOf = (matrix: Tensor): number[][] => {
  const n = matrix.shape[0];
  return Array.from({ length: n }, (_, i) => Array.from(matrix.values.subarray(i * n, (i + 1) * n)));
};

/**
 * The report for people: loss and accuracy, a per-class table, and the confusion matrix.
 *
 * @example
 * evaluationText(report); // 'mnist test set, 10,000 samples: loss 0.0815, accuracy 97.77%\n…'
 */
export function evaluationText(report: EvaluationReport): string {
  const names = report.classNames;
  const width = Math.max(5, ...names.map((name) => name.length));
  const counts = report.confusionMatrix.map((row) => row.reduce((a, b) => a + b, 0));
  const cell = Math.max(4, ...report.confusionMatrix.flat().map((v) => String(v).length));
  return [
    `${report.dataset} test set, ${report.samples.toLocaleString('en-US')} samples: loss ${formatMetric(report.loss)}, accuracy ${formatPercent(report.accuracy)}`,
    '',
    `${'class'.padEnd(width)}  precision     recall  samples`,
    ...names.map(
      (name, i) =>
        `${name.padEnd(width)}  ${formatPercent(report.precision[i]).padStart(9)}  ${formatPercent(report.recall[i]).padStart(9)}  ${String(counts[i]).padStart(7)}`,
    ),
    '',
    'confusion matrix (rows: true class, columns: predicted class)',
    `${''.padEnd(width)} ${names.map((name) => name.slice(0, cell).padStart(cell)).join(' ')}`,
    ...report.confusionMatrix.map(
      (row, i) => `${names[i].padEnd(width)} ${row.map((v) => String(v).padStart(cell)).join(' ')}`,
    ),
    '',
  ].join('\n');
}

/**
 * `axon evaluate`: the model's loss and accuracy on a test set, per-class precision and
 * recall, and the confusion matrix (also as an SVG chart with `--confusion-svg`); with
 * `--errors`, a PNG grid of the test images it gets most confidently wrong.
 *
 * @example
 * await runEvaluate({ command: 'evaluate', model: 'model', dataset: null, … }, io);
 */
export async function runEvaluate(config: EvaluateConfig, io: CommandIo): Promise<E.Either<CommandFailure, void>> {
  const ready = await openModel(config.model, config);
  if (E.isLeft(ready)) return E.left(`axon evaluate: ${ready.left}`);
  const { model, params, state, inputShape, normalization, classNames, backend } = ready.right;
  try {
    const dataset = datasetFor(ready.right, config.dataset);
    if (E.isLeft(dataset)) return E.left(`axon evaluate: ${dataset.left}`);
    const splits = await loadSplits(dataset.right, config.dataDir, () => undefined)();
    if (E.isLeft(splits)) return E.left(`axon evaluate: ${splits.left}`);
    const usable = checkSplit(splits.right.test, classNames.length, `the ${dataset.right} test set`, 'the model');
    if (E.isLeft(usable)) return E.left(`axon evaluate: ${usable.left}`);
    const test = prepare(splits.right.test, normalization, null);
    const x = fitInput(test.x, inputShape, `the ${dataset.right} test set`);
    if (E.isLeft(x)) return E.left(`axon evaluate: ${x.left}`);
    const data = { x: x.right, y: test.y };
    const scores = evaluate(model, losses.sparseCategoricalCrossentropy(), params, data, {
      batchSize: config.batchSize,
      state,
    });
    const probabilities = predict(model, params, data.x, { batchSize: config.batchSize, state });
    const predicted = argmax(probabilities, -1);
    const matrix = metrics.confusionMatrix(test.y, predicted, classNames.length);
    const { precision, recall } = metrics.precisionRecall(matrix);
    const report: EvaluationReport = {
      dataset: dataset.right,
      samples: test.y.size,
      loss: scores.loss,
      accuracy: scores.accuracy ?? Number.NaN,
      classNames,
      precision: Array.from(precision.values),
      recall: Array.from(recall.values),
      confusionMatrix: rowsOf(matrix),
      ...(config.errors === null
        ? {}
        : {
            mistakes: mostConfidentMistakes(
              probabilities.values,
              test.y.values,
              classNames.length,
              config.errors.count,
            ),
          }),
    };
    if (config.confusionSvg !== null) {
      const written = await writeFileAtomically(
        config.confusionSvg,
        await confusionChartSvg(report.confusionMatrix, classNames),
      )();
      if (E.isLeft(written)) return E.left(`axon evaluate: ${written.left}`);
    }
    if (config.errors !== null) {
      const grid = errorsPicture(report, splits.right.test.inputs);
      if (E.isLeft(grid)) return E.left(`axon evaluate: ${grid.left}`);
      const written = await writeFileAtomically(config.errors.file, pngBytes(grid.right))();
      if (E.isLeft(written)) return E.left(`axon evaluate: ${written.left}`);
    }
    io.stdout.write(config.json ? `${JSON.stringify(report)}\n` : evaluationText(report));
    return E.right(undefined);
  } finally {
    await backend.close();
  }
}
