// `axon explain` and `axon evaluate --errors` through the built command: attributions
// that add up (Integrated Gradients' completeness), pictures that decode, and bad input
// refused with one line (exit 2 for the command line, 1 for a failure while working).
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../../src/image/png.js';
import { decodeLine, EvaluationJson, ExplanationJson } from '../support/json-lines.js';
import { coverage, encodePng, opaqueGrey, rgba, seven } from '../support/png-fixtures.js';
import {
  createSandbox,
  linesOf,
  outcome,
  runAxon,
  type Sandbox,
  setupTimeoutMs,
  succeeded,
} from '../support/run-axon.js';
import { type SyntheticIdx, writeSyntheticIdx } from '../support/synthetic-idx.js';

let sandbox: Sandbox;
let data: SyntheticIdx;
/** The same images with every label moved on by one: the model gets them all wrong. */
let shifted: SyntheticIdx;
let modelDir: string;

beforeAll(async () => {
  sandbox = await createSandbox('explain');
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 21, classes: 4, trainCount: 256, testCount: 48 });
  shifted = await writeSyntheticIdx(sandbox.path('shifted'), {
    seed: 21,
    classes: 4,
    trainCount: 256,
    testCount: 48,
    labelShift: 1,
  });
  modelDir = sandbox.path('model');
  succeeded(
    await runAxon(
      [
        'train',
        '--dataset',
        'idx',
        '--data-dir',
        data.dir,
        '--layers',
        '16',
        '--activation',
        'tanh',
        '--epochs',
        '3',
        '--seed',
        '2',
        '--backend',
        'js',
        '--out',
        modelDir,
        '--quiet',
      ],
      { sandbox },
    ),
  );
}, setupTimeoutMs);

afterAll(() => sandbox.remove());

const explain = (...more: string[]): string[] => [
  'explain',
  '--model',
  modelDir,
  '--data-dir',
  data.dir,
  '--backend',
  'js',
  ...more,
];

/** The width and height of a PNG file, which must decode. */
const pngSize = async (file: string): Promise<[number, number]> => {
  const decoded = decodePng(await readFile(file));
  if (E.isLeft(decoded)) throw new Error(decoded.left.message);
  return [decoded.right.width, decoded.right.height];
};

describe('axon explain', () => {
  it('Integrated Gradients: the attributions of every pixel, adding up to the change of the probability from black', async () => {
    const out = sandbox.path('ig.png');
    const report = decodeLine(
      ExplanationJson,
      succeeded(await runAxon(explain('--index', '5', '--steps', '128', '--out', out, '--json'), { sandbox })).stdout,
    );
    expect(report.method).toEqual({ name: 'ig', steps: 128 });
    expect(report.label?.index).toBe(data.test.labels[5]);
    expect(report.explained.index).toBe(report.predicted.index);
    expect(report.attributions).toHaveLength(28);
    report.attributions.forEach((row) => expect(row).toHaveLength(28));
    const total = report.attributions.flat().reduce((a, b) => a + b, 0);
    const completeness = report.completeness;
    if (completeness === undefined) throw new Error('no completeness for Integrated Gradients');
    // float32 sums of 784 values: the reported sum and ours agree to rounding.
    expect(total).toBeCloseTo(completeness.attributionSum, 4);
    expect(completeness.error).toBeCloseTo(completeness.attributionSum - completeness.scoreChange, 9);
    expect(Math.abs(completeness.error)).toBeLessThan(0.02 * Math.abs(completeness.scoreChange) + 1e-3);
    const [width, height] = await pngSize(out);
    expect(width).toBeGreaterThanOrEqual(2 * 28 * 8);
    expect(height).toBeGreaterThan(28 * 8);
  });

  it('explains the class it is asked about, by index or name, with saliency or SmoothGrad, the same on every run', async () => {
    const saliency = decodeLine(
      ExplanationJson,
      succeeded(await runAxon(explain('--index', '0', '--method', 'saliency', '--class', '2', '--json'), { sandbox }))
        .stdout,
    );
    expect(saliency.explained).toEqual({ index: 2, name: '2' });
    expect(saliency.completeness).toBeUndefined();
    const runs = await Promise.all(
      [1, 2].map(() =>
        runAxon(explain('--index', '0', '--method', 'smoothgrad', '--samples', '8', '--json'), { sandbox }),
      ),
    );
    const [a, b] = runs.map((r) => decodeLine(ExplanationJson, succeeded(r).stdout));
    expect(a.method).toEqual({ name: 'smoothgrad', samples: 8 });
    expect(a.attributions).toEqual(b.attributions);
    expect(a.attributions).not.toEqual(saliency.attributions);
  });

  it('draws the image with the attribution beside the prediction, in plain text when not on a terminal', async () => {
    const { stdout } = succeeded(await runAxon(explain('--index', '1'), { sandbox }));
    const lines = linesOf(stdout);
    expect(lines.some((line) => /predicted: \d \(\d+\.\d\d%\)$/.test(line))).toBe(true);
    expect(
      lines.some((line) => /explaining \d with Integrated Gradients \(50 steps from a black image\)$/.test(line)),
    ).toBe(true);
    expect(lines.some((line) => /completeness error -?\d\.\de[-+]\d+$/.test(line))).toBe(true);
    expect(stdout).not.toContain('\x1b[');
    expect(lines.some((line) => /(\+\+|##)/.test(line))).toBe(true);
  });

  it('explains a PNG run through the MNIST image pipeline', async () => {
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
    const report = decodeLine(
      ExplanationJson,
      succeeded(
        await runAxon(['explain', '--model', modelDir, '--image', file, '--backend', 'js', '--json'], { sandbox }),
      ).stdout,
    );
    expect(report.label).toBeUndefined();
    expect(report.attributions.flat()).toHaveLength(784);
  });

  it.each([
    [['--index', '0', '--class', '9'], 1, "axon explain: --class 9: the model's classes are 0, 1, 2, 3"],
    [['--index', '48'], 1, 'axon explain: --index 48: the idx test set has 48 images (0 to 47)'],
    [['--index', '0', '--out', 'no-such-dir/x.png'], 1, /^axon explain: .*no-such-dir.*x\.png.*\n$/],
    [
      ['--index', '0', '--method', 'saliency', '--steps', '8'],
      2,
      'axon explain: --steps applies only with --method ig',
    ],
    [
      ['--index', '0', '--method', 'shap'],
      2,
      'axon explain: --method: expected one of ig, saliency, smoothgrad, got "shap"',
    ],
    [['--index', '0', '--image', 'a.png'], 2, 'axon explain: give exactly one of --image FILE and --index N'],
  ])('refuses %j with status %i and one line', async (args, status, says) => {
    const result = await runAxon(explain(...args), { sandbox });
    expect(result.status, outcome(result)).toBe(status);
    expect(result.stdout).toBe('');
    if (typeof says === 'string') expect(result.stderr).toBe(`${says}\n`);
    else expect(result.stderr).toMatch(says);
    expect(existsSync(sandbox.path('no-such-dir'))).toBe(false);
  });

  it('refuses an explanation without a model: status 2, one line', async () => {
    const result = await runAxon(['explain', '--index', '0'], { sandbox });
    expect(result.status, outcome(result)).toBe(2);
    expect(result.stderr).toBe('axon explain: --model: missing (expected a path)\n');
  });
});

describe('axon evaluate --errors', () => {
  it('lists and draws the most confident mistakes, most confident first, keeping the confusion matrix', async () => {
    const grid = sandbox.path('mistakes.png');
    const svg = sandbox.path('confusion.svg');
    const args = [
      'evaluate',
      '--model',
      modelDir,
      '--data-dir',
      shifted.dir,
      '--backend',
      'js',
      '--errors',
      grid,
      '--count',
      '6',
      '--confusion-svg',
      svg,
      '--json',
    ];
    const report = decodeLine(EvaluationJson, succeeded(await runAxon(args, { sandbox })).stdout);
    const mistakes = report.mistakes ?? [];
    expect(mistakes).toHaveLength(6);
    mistakes.forEach((m, i) => {
      expect(m.label).toBe(shifted.test.labels[m.index]);
      expect(m.predicted).not.toBe(m.label);
      if (i > 0) expect(m.confidence).toBeLessThanOrEqual(mistakes[i - 1].confidence);
    });
    const [width, height] = await pngSize(grid);
    expect(width).toBeGreaterThanOrEqual(3 * 28 * 4);
    expect(height).toBeGreaterThan(2 * 28 * 4);
    expect((await readFile(svg, 'utf8')).startsWith('<svg')).toBe(true);
  });

  it('refuses --count without --errors: status 2, one line', async () => {
    const result = await runAxon(['evaluate', '--model', modelDir, '--count', '4'], { sandbox });
    expect(result.status, outcome(result)).toBe(2);
    expect(result.stderr).toBe('axon evaluate: --count applies only with --errors FILE\n');
  });
});
