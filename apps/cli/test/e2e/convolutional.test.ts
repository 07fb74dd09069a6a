// Convolutional networks through the built `axon`: `--layers` stacks and `--model cnn`
// are trained, saved, evaluated, predicted and exported, and TensorFlow.js and ONNX
// Runtime read the files with axon's predictions; bad stacks are refused with one line.
import { access } from 'node:fs/promises';
import { layers, predict } from '@axon/nn';
import { tensor, type Tensor, type TensorTree } from '@axon/tensor';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyNormalization } from '../../src/model/axon-metadata.js';
import { layerSpecsText } from '../../src/model/layer-spec.js';
import { expectAllClose } from '../support/expect-close.js';
import { decodeLine, EvaluationJson, PredictionJson } from '../support/json-lines.js';
import { loadSavedModel, type AxonSavedModel } from '../support/model-files.js';
import {
  createSandbox,
  linesOf,
  outcome,
  runAxon,
  type Sandbox,
  setupTimeoutMs,
  succeeded,
} from '../support/run-axon.js';
import { samplePixels, type SyntheticIdx, writeSyntheticIdx } from '../support/synthetic-idx.js';
import { tfjsLoad, tfjsPredict } from '../support/tfjs-model.js';

/** Every kind of image layer, with same padding, a stride, batch normalization's state and dropout. */
const stack = 'conv:4:3:same,batchnorm,maxpool:2,conv:6:3:stride=2:tanh,avgpool:2:same,flatten,dropout:0.25,8';

let sandbox: Sandbox;
let data: SyntheticIdx;
let modelDir: string;
let model: AxonSavedModel;

beforeAll(async () => {
  sandbox = await createSandbox('convolutional');
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 23, classes: 4, trainCount: 200, testCount: 20 });
  modelDir = sandbox.path('model');
  const train = [
    'train',
    '--dataset',
    'idx',
    '--data-dir',
    data.dir,
    '--layers',
    stack,
    '--epochs',
    '2',
    '--batch-size',
    '32',
    '--seed',
    '5',
    '--backend',
    'wasm',
    '--quiet',
    '--out',
    modelDir,
  ];
  succeeded(await runAxon(train, { sandbox }));
  model = await loadSavedModel(modelDir);
}, setupTimeoutMs);

afterAll(() => sandbox.remove());

/** The test images as the model takes them, normalized as its metadata says. */
const testPixels = (): Float32Array => {
  const normalization = model.metadata?.normalization;
  if (normalization === undefined) throw new Error('the model has no axon metadata');
  return Float32Array.from(
    Array.from({ length: data.test.count }, (_, i) =>
      Array.from(applyNormalization(normalization, samplePixels(data.test, i))),
    ).flat(),
  );
};

/** The saved model's probabilities for every test image, computed in this process with its moving statistics. */
const libraryProbabilities = (): Float32Array => {
  const x = tensor(testPixels(), { shape: [data.test.count, ...model.inputShape] });
  const state = model.state as readonly TensorTree[] | undefined;
  return predict(layers.fromConfig(model.config), model.params as readonly TensorTree[], x, { state })
    .values as Float32Array;
};

describe('axon train --layers with convolutions', () => {
  it("saves the stack, grey images with a channel axis, and batch normalization's moving statistics", () => {
    expect(model.inputShape).toEqual([28, 28, 1]);
    expect(model.config.layers.map(layers.describeLayer)).toEqual([
      'conv2d(4, 3x3, same, relu)',
      'batchNormalization(momentum 0.99, epsilon 0.001)',
      'maxPooling2d(2x2)',
      'conv2d(6, 3x3, strides 2x2, tanh)',
      'averagePooling2d(2x2, same)',
      'flatten',
      'dropout(0.25)',
      'dense(8, relu)',
      'dense(4, softmax)',
    ]);
    expect(layerSpecsText(model.metadata?.training.layers ?? [])).toBe(stack);
    // Moved away from the initial zeros by training.
    const statistics = (model.state as readonly TensorTree[] | undefined)?.[1] as
      { movingMean: Tensor; movingVariance: Tensor } | undefined;
    expect(statistics?.movingMean.shape).toEqual([4]);
    expect(Array.from(statistics?.movingMean.values ?? []).some((mean) => mean !== 0)).toBe(true);
  });

  it('evaluates and predicts what the saved weights and statistics compute, and TensorFlow.js computes the same', async () => {
    const expected = libraryProbabilities();
    const classes = 4;
    const argmax = (i: number): number => {
      const row = Array.from(expected.subarray(i * classes, (i + 1) * classes));
      return row.indexOf(Math.max(...row));
    };
    const correct = Array.from({ length: data.test.count }, (_, i) =>
      argmax(i) === data.test.labels[i] ? 1 : 0,
    ).reduce((a: number, b) => a + b, 0);
    const evaluation = decodeLine(
      EvaluationJson,
      succeeded(
        await runAxon(['evaluate', '--model', modelDir, '--data-dir', data.dir, '--backend', 'js', '--json'], {
          sandbox,
        }),
      ).stdout,
    );
    expect(evaluation.accuracy).toBe(correct / data.test.count);

    const index = 7;
    const predicted = decodeLine(
      PredictionJson,
      succeeded(
        await runAxon(
          [
            'predict',
            '--model',
            modelDir,
            '--index',
            String(index),
            '--data-dir',
            data.dir,
            '--backend',
            'wasm',
            '--json',
          ],
          { sandbox },
        ),
      ).stdout,
    );
    expectAllClose(
      predicted.probabilities.map((p) => p.probability),
      Array.from(expected.subarray(index * classes, (index + 1) * classes)),
      { absolute: 1e-5, relative: 1e-5 },
    );

    const tfjsModel = await tfjsLoad(modelDir);
    const pixels = testPixels();
    const size = 28 * 28;
    for (const i of [0, index, data.test.count - 1]) {
      const theirs = tfjsPredict(tfjsModel, model.inputShape, pixels.subarray(i * size, (i + 1) * size));
      expectAllClose(Array.from(theirs), Array.from(expected.subarray(i * classes, (i + 1) * classes)), {
        absolute: 1e-5,
        relative: 1e-5,
      });
    }
  });

  it("exports ONNX that ONNX Runtime runs with axon's predictions", async () => {
    const out = sandbox.path('model.onnx');
    succeeded(await runAxon(['export', '--model', modelDir, '--format', 'onnx', '--out', out], { sandbox }));
    const session = await ort.InferenceSession.create(out);
    const theirs = (
      await session.run({ input: new ort.Tensor('float32', testPixels(), [data.test.count, ...model.inputShape]) })
    ).output.data as Float32Array;
    await session.release();
    expectAllClose(Array.from(theirs), Array.from(libraryProbabilities()), { absolute: 1e-5, relative: 1e-5 });
  });
});

describe('axon train --model cnn', () => {
  it("trains Keras's mnist_convnet and says so on its first line", async () => {
    const out = sandbox.path('cnn');
    const args = [
      'train',
      '--model',
      'cnn',
      '--dataset',
      'idx',
      '--data-dir',
      data.dir,
      '--limit',
      '64',
      '--epochs',
      '1',
      '--seed',
      '1',
      '--backend',
      'wasm',
      '--out',
      out,
    ];
    const lines = linesOf(succeeded(await runAxon(args, { sandbox })).stdout);
    expect(lines[0]).toMatch(
      /^Training on idx: 64 samples, hidden conv:32:3, maxpool:2, conv:64:3, maxpool:2, flatten, dropout:0\.5 \(relu\), adam at 0\.001, 1 epoch of 128, seed 1/,
    );
    const cnn = await loadSavedModel(out);
    // Keras's 34,826 less the dense weights of the 6 classes this data set does not have.
    expect(layers.summarize(layers.fromConfig(cnn.config), cnn.inputShape).totalParams).toBe(34_826 - 6 * 1601);
  });
});

describe('bad convolutional stacks', () => {
  it('are refused with status 2 and one line naming the layer, before anything is written', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--layers', 'conv:32:x'],
        /^axon train: --layers: expected the kernel size \(a positive integer, or HxW such as 3x5\) in layer 1 "conv:32:x", got "x"\n$/,
      ],
      [
        ['--layers', 'conv:8:5,conv:8:5,maxpool:2,conv:8:11'],
        /^axon train: --layers conv:8:11 \(layer 4\): conv2d: a 11x11 window does not fit in 10x10 input .*\n$/,
      ],
      [
        ['--layers', 'flatten,maxpool:2'],
        /^axon train: --layers maxpool:2 \(layer 2\): needs images \(\[height, width, channels\] per sample\), but gets samples of shape \[784\]\n$/,
      ],
      [
        ['--model', 'cnn', '--layers', '64'],
        /^axon train: --model and --layers both describe the network: give one .*\n$/,
      ],
    ];
    for (const [more, says] of cases) {
      const out = sandbox.path('refused');
      const result = await runAxon(
        ['train', '--dataset', 'idx', '--data-dir', data.dir, '--epochs', '1', '--out', out, ...more],
        { sandbox },
      );
      expect(result.status, outcome(result)).toBe(2);
      expect(result.stderr).toMatch(says);
      expect(result.stdout).toBe('');
      await expect(access(out)).rejects.toThrow();
    }
  });
});
