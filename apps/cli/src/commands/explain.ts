import * as E from 'fp-ts/lib/Either.js';
import { integratedGradients, modelScores, saliency, smoothGrad, type Attribution } from '@axon/explain';
import { writeFileAtomically } from '@axon/io/node';
import { key, tensor, type Tensor } from '@axon/tensor';
import { fitInput } from '../data/fit-input.js';
import { subjectOf } from '../data/subject.js';
import { applyNormalization } from '../model/axon-metadata.js';
import { openModel } from '../model/open-model.js';
import type { ExplainConfig, ExplainMethod } from '../options/explain-options.js';
import { attributionArt } from '../output/attribution-art.js';
import { formatPercent } from '../output/format.js';
import { explainPicture } from '../output/picture/explain-picture.js';
import { pngBytes } from '../output/picture/png-bytes.js';
import { artStyleFor, sideBySide } from '../output/terminal-art.js';
import type { CommandIo } from './command-io.js';
import type { CommandFailure } from './failure.js';

/** A class by index and name. */
interface NamedClass {
  readonly index: number;
  readonly name: string;
}

/** What `axon explain` found: the prediction, the attribution of every pixel and, for Integrated Gradients, how well it adds up. */
export interface ExplanationReport {
  readonly predicted: NamedClass & { readonly probability: number };
  readonly probabilities: readonly { readonly name: string; readonly probability: number }[];
  /** The true class, for a test image chosen with `--index`. */
  readonly label?: NamedClass;
  /** The class whose score is explained. */
  readonly explained: NamedClass;
  readonly method: ExplainMethod;
  /** One attribution per pixel, in rows, the shape of the image. */
  readonly attributions: readonly (readonly number[])[];
  /** Integrated Gradients only: Σ attributions against the change of the explained class's probability from a black image. */
  readonly completeness?: { readonly attributionSum: number; readonly scoreChange: number; readonly error: number };
}

const methodNames: Record<ExplainMethod['name'], string> = {
  ig: 'Integrated Gradients',
  saliency: 'gradient saliency',
  smoothgrad: 'SmoothGrad',
};

/** The method in words, with its setting. */
const methodText = (method: ExplainMethod): string =>
  method.name === 'ig'
    ? `${methodNames.ig} (${method.steps} steps from a black image)`
    : method.name === 'smoothgrad'
      ? `${methodNames.smoothgrad} (${method.samples} noisy copies)`
      : methodNames.saliency;

/**
 * The class `--class` names, by index or by name; left with the classes there are.
 *
 * @example
 * classChoice('7', ['0', …, '9']); // right(7)
 * classChoice('Sneaker', fashionNames); // right(7)
 */
export function classChoice(given: string, classNames: readonly string[]): E.Either<string, number> {
  const byName = classNames.indexOf(given);
  if (byName >= 0) return E.right(byName);
  const index = /^\d+$/.test(given.trim()) ? Number(given.trim()) : Number.NaN;
  if (Number.isInteger(index) && index < classNames.length) return E.right(index);
  return E.left(
    `--class ${given}: the model's classes are ${classNames.map((name, i) => (name === String(i) ? name : `${i} (${name})`)).join(', ')}`,
  );
}

/**
 * The report for people: the prediction, what is explained and how, and for
 * Integrated Gradients how well the attributions add up.
 *
 * @example
 * explanationLines(report); // ['predicted: 7 (99.12%)', 'true class: 7', 'explaining 7 with Integrated Gradients (50 steps …)', …]
 */
export function explanationLines(report: ExplanationReport): string[] {
  const { predicted, label, explained, method, completeness } = report;
  return [
    `predicted: ${predicted.name} (${formatPercent(predicted.probability)})`,
    ...(label === undefined ? [] : [`true class: ${label.name}`]),
    `explaining ${explained.name} with ${methodText(method)}`,
    `red: pixels that count for ${explained.name}; blue: against`,
    ...(completeness === undefined
      ? []
      : [
          `attributions add up to ${completeness.attributionSum.toFixed(4)}; the probability of ${explained.name} rose ${completeness.scoreChange.toFixed(4)} from black`,
          `completeness error ${completeness.error.toExponential(1)}`,
        ]),
  ];
}

/** Runs the method on one input `[1, ...]`: the attribution and, for Integrated Gradients, its completeness. */
const attribute = (
  method: ExplainMethod,
  f: (x: Tensor) => Tensor,
  x: Tensor,
  target: number | 'predicted',
  baseline: Tensor,
): Attribution & { readonly completeness?: ExplanationReport['completeness'] } => {
  if (method.name === 'saliency') return saliency(f, x, { target });
  if (method.name === 'smoothgrad') return smoothGrad(f, x, { target, samples: method.samples, key: key(0) });
  const ig = integratedGradients(f, x, { target, steps: method.steps, baseline });
  const c = ig.classes[0];
  const scoreChange = ig.scores.values[c] - ig.baselineScores.values[c];
  const error = ig.completenessError[0];
  return { ...ig, completeness: { attributionSum: scoreChange + error, scoreChange, error } };
};

/**
 * `axon explain`: which pixels the model's decision about an image rests on, by
 * Integrated Gradients (default), gradient saliency or SmoothGrad, for the predicted
 * class or `--class`. Prints the image with the attribution as terminal art beside the
 * prediction (or JSON with every attribution), and with `--out` writes a PNG of the
 * image and the attribution as a heat map.
 *
 * @example
 * await runExplain({ command: 'explain', model: 'model', input: { kind: 'index', index: 0 }, method: { name: 'ig', steps: 50 }, … }, io);
 */
export async function runExplain(config: ExplainConfig, io: CommandIo): Promise<E.Either<CommandFailure, void>> {
  const ready = await openModel(config.model, config);
  if (E.isLeft(ready)) return E.left(`axon explain: ${ready.left}`);
  const { model, params, state, inputShape, normalization, classNames, backend } = ready.right;
  try {
    const subject = await subjectOf(config.input, config, ready.right);
    if (E.isLeft(subject)) return E.left(`axon explain: ${subject.left}`);
    const { pixels, shape, label } = subject.right;
    const target =
      config.className === null
        ? E.right<string, number | 'predicted'>('predicted')
        : classChoice(config.className, classNames);
    if (E.isLeft(target)) return E.left(`axon explain: ${target.left}`);
    const asInput = (raw: Float32Array): E.Either<string, Tensor> =>
      fitInput(
        tensor(applyNormalization(normalization, raw), { shape: [1, ...shape], copy: false }),
        inputShape,
        'the image',
      );
    const x = asInput(pixels);
    // Black as the model sees it: raw 0 through the model's normalization.
    const black = asInput(new Float32Array(pixels.length));
    if (E.isLeft(x)) return E.left(`axon explain: ${x.left}`);
    if (E.isLeft(black)) return E.left(`axon explain: ${black.left}`);
    const result = attribute(config.method, modelScores(model, params, { state }), x.right, target.right, black.right);
    const probabilities = Array.from(result.scores.values);
    const top = probabilities.indexOf(Math.max(...probabilities));
    const explained = result.classes[0];
    const values = Array.from(result.attributions.values);
    const [height, width] = shape.length === 2 ? shape : [1, values.length];
    const report: ExplanationReport = {
      predicted: { index: top, name: classNames[top], probability: probabilities[top] },
      probabilities: probabilities.map((probability, i) => ({ name: classNames[i], probability })),
      ...(label === undefined ? {} : { label: { index: label, name: classNames[label] ?? String(label) } }),
      explained: { index: explained, name: classNames[explained] },
      method: config.method,
      attributions: Array.from({ length: height }, (_, row) => values.slice(row * width, (row + 1) * width)),
      ...(result.completeness === undefined ? {} : { completeness: result.completeness }),
    };
    const image = { width, height, pixels: pixels.map((v) => v / 255) };
    if (config.out !== null) {
      if (shape.length !== 2)
        return E.left(`axon explain: --out draws images, but the samples have shape [${shape.join(',')}]`);
      const caption = [
        `predicted ${report.predicted.name} (${formatPercent(report.predicted.probability)})${report.label === undefined ? '' : `, true class ${report.label.name}`}`,
        `${methodNames[config.method.name]} for ${report.explained.name}`,
        ...(report.completeness === undefined
          ? []
          : [`completeness error ${report.completeness.error.toExponential(1)}`]),
      ];
      const written = await writeFileAtomically(
        config.out,
        pngBytes(explainPicture({ image, attributions: values, caption, className: report.explained.name })),
      )();
      if (E.isLeft(written)) return E.left(`axon explain: ${written.left}`);
    }
    if (config.json) {
      io.stdout.write(`${JSON.stringify(report)}\n`);
      return E.right(undefined);
    }
    const art = shape.length === 2 ? attributionArt(image, values, artStyleFor(io.stdout.isTTY === true, io.env)) : [];
    const lines = [...explanationLines(report), ...(config.out === null ? [] : [`picture written to ${config.out}`])];
    io.stdout.write(`${sideBySide(art, lines).join('\n')}\n`);
    return E.right(undefined);
  } finally {
    await backend.close();
  }
}
