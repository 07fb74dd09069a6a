// `axon export` writes a model as ONNX that ONNX Runtime runs with axon's predictions.
import { readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { layers, predict } from '@axon/nn';
import { tensor, type TensorTree } from '@axon/tensor';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyNormalization } from '../../src/model/axon-metadata.js';
import { loadSavedModel } from '../support/model-files.js';
import { createSandbox, outcome, runAxon, type Sandbox, setupTimeoutMs, succeeded } from '../support/run-axon.js';
import { samplePixels, type SyntheticIdx, writeSyntheticIdx } from '../support/synthetic-idx.js';

let sandbox: Sandbox;
let data: SyntheticIdx;

beforeAll(async () => {
  sandbox = await createSandbox('export');
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 71, classes: 4, trainCount: 200, testCount: 20 });
  succeeded(
    await runAxon(
      [
        'train',
        '--dataset',
        'idx',
        '--data-dir',
        data.dir,
        '--layers',
        '32,16',
        '--activation',
        'gelu',
        '--dropout',
        '0.1',
        '--epochs',
        '2',
        '--seed',
        '1',
        '--backend',
        'js',
        '--quiet',
        '--out',
        sandbox.path('model'),
      ],
      { sandbox },
    ),
  );
}, setupTimeoutMs);
afterAll(() => sandbox.remove());

describe('axon export --format onnx', () => {
  it('writes an ONNX file that ONNX Runtime runs, predicting what axon predicts within 1e-5', async () => {
    const result = succeeded(
      await runAxon(
        ['export', '--model', sandbox.path('model'), '--format', 'onnx', '--out', sandbox.path('model.onnx')],
        { sandbox },
      ),
    );
    expect(result.stdout).toMatch(
      new RegExp(
        `^wrote ${sandbox.path('model.onnx').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(ONNX, opset 13, [\\d,]+ bytes\\)\\n$`,
      ),
    );
    const model = await loadSavedModel(sandbox.path('model'));
    const normalization = model.metadata?.normalization;
    if (normalization === undefined) throw new Error('the model has no axon metadata');
    const count = data.test.count;
    const pixels = Float32Array.from(
      Array.from({ length: count }, (_, i) =>
        Array.from(applyNormalization(normalization, samplePixels(data.test, i))),
      ).flat(),
    );
    const x = tensor(pixels, { shape: [count, ...model.inputShape] });
    const ours = predict(layers.fromConfig(model.config), model.params as readonly TensorTree[], x).values;
    const session = await ort.InferenceSession.create(sandbox.path('model.onnx'));
    const theirs = (await session.run({ input: new ort.Tensor('float32', pixels, [count, ...model.inputShape]) }))
      .output.data as Float32Array;
    await session.release();
    expect(theirs.length).toBe(ours.length);
    theirs.forEach((value, i) => expect(Math.abs(value - ours[i])).toBeLessThanOrEqual(1e-5));
  });

  it('refuses a damaged model, a format it does not write and an output it cannot write, with one line', async () => {
    const broken = sandbox.path('broken');
    succeeded(
      await runAxon(
        [
          'train',
          '--dataset',
          'idx',
          '--data-dir',
          data.dir,
          '--layers',
          '8',
          '--epochs',
          '1',
          '--backend',
          'js',
          '--quiet',
          '--out',
          broken,
        ],
        { sandbox },
      ),
    );
    await writeFile(path.join(broken, 'weights.bin'), 'short');
    const cases: [string[], number, RegExp][] = [
      [
        ['export', '--model', broken, '--out', sandbox.path('x.onnx')],
        1,
        /^axon export: .*weights\.bin: expected \d+ bytes \(the float32 weights model\.json lists\), found 5\n$/,
      ],
      [
        ['export', '--model', sandbox.path('model'), '--format', 'tflite', '--out', sandbox.path('x.onnx')],
        2,
        /^axon export: --format: expected one of onnx, got "tflite"\n$/,
      ],
      [
        ['export', '--model', sandbox.path('model'), '--out', sandbox.path('no-dir', 'x.onnx')],
        1,
        /^axon export: .*no-dir\/x\.onnx: cannot write: does not exist\n$/,
      ],
    ];
    for (const [args, status, says] of cases) {
      const result = await runAxon(args, { sandbox });
      expect(result.status, outcome(result)).toBe(status);
      expect(result.stderr).toMatch(says);
    }
    expect((await readdir(sandbox.root)).filter((name) => name.startsWith('x.onnx'))).toEqual([]);
  });
});
