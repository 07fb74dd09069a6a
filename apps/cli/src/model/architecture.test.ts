import fc from 'fast-check';
import { decodeModel, encodeModel, parseModelJson, renderModelFileError } from '@axon/io';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { layers, predict } from '@axon/nn';
import { key, uniform, type Shape, type TensorTree } from '@axon/tensor';
import { describe, expect, it } from 'vitest';
import { HiddenActivation } from '../training/vocabulary.js';
import { classifierOf, planClassifier, type Architecture, type Classifier } from './architecture.js';
import { layerSpecArbitrary } from '../../test/support/layer-spec-arbitrary.js';
import { builtInModels, layerSpecText, type LayerSpec } from './layer-spec.js';
import { modelOfSaved, savedModelOf } from './saved-model-bridge.js';

const planned = (specs: readonly LayerSpec[], sampleShape: Shape, classes: number, dropout = 0): Architecture => {
  const plan = planClassifier({ layers: specs, activation: 'relu', dropout }, sampleShape, classes);
  if (E.isLeft(plan)) throw new Error(plan.left);
  return plan.right;
};

/** Saves a model with its params and state, reads the file back and rebuilds the model, as `axon predict` does. */
const throughModelFile = (model: Classifier, params: readonly TensorTree[], state: TensorTree, inputShape: Shape) => {
  const saved = savedModelOf(model, params, inputShape, null);
  if (E.isLeft(saved)) throw new Error(saved.left);
  const files = encodeModel(
    { ...saved.right, ...(Array.isArray(state) ? { state: state as readonly TensorTree[] } : {}) },
    'axon test',
  );
  if (E.isLeft(files)) throw new Error(renderModelFileError(files.left));
  const decoded = pipe(
    parseModelJson(files.right.modelJson),
    E.chain((json) => decodeModel(json, files.right.weightsBin)),
  );
  if (E.isLeft(decoded)) throw new Error(renderModelFileError(decoded.left));
  return modelOfSaved(decoded.right);
};

describe('planClassifier', () => {
  it('with every hidden activation --activation offers, builds a model that survives the model file: saved, loaded, it predicts the same', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...HiddenActivation.values),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 2, max: 5 }),
        fc.nat(1000),
        (activation, units, classes, seed) => {
          const specs = units.map((n): LayerSpec => ({ kind: 'dense', units: n, activation: null }));
          const plan = planClassifier({ layers: specs, activation, dropout: 0 }, [3, 4], classes);
          if (E.isLeft(plan)) throw new Error(plan.left);
          const model = classifierOf(plan.right);
          const { params, state } = layers.initLayer(model, key(seed), [3, 4]);
          const loaded = throughModelFile(model, params, state, [3, 4]);
          const x = uniform(key(seed + 1), [5, 3, 4]);
          expect(Array.from(predict(loaded.model, loaded.params, x).values)).toEqual(
            Array.from(predict(model, params, x).values),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("builds the tutorial's flatten → dense(128, relu) → dense(128, relu) → dense(10, softmax) from --layers 128,128, on the samples as they are", () => {
    const plan = planned(builtInModels.mlp, [28, 28], 10);
    expect(plan.inputShape).toEqual([28, 28]);
    expect(classifierOf(plan).config.layers.map(layers.describeLayer)).toEqual([
      'flatten',
      'dense(128, relu)',
      'dense(128, relu)',
      'dense(10, softmax)',
    ]);
  });

  it("builds Keras's mnist_convnet from --model cnn: grey images get a channel axis, 34,826 params as Keras's summary counts", () => {
    const plan = planned(builtInModels.cnn, [28, 28], 10);
    expect(plan.inputShape).toEqual([28, 28, 1]);
    const model = classifierOf(plan);
    expect(model.config.layers.map(layers.describeLayer)).toEqual([
      'conv2d(32, 3x3, relu)',
      'maxPooling2d(2x2)',
      'conv2d(64, 3x3, relu)',
      'maxPooling2d(2x2)',
      'flatten',
      'dropout(0.5)',
      'dense(10, softmax)',
    ]);
    const summary = layers.summarize(model, plan.inputShape);
    expect(summary.totalParams).toBe(34_826);
    expect(summary.rows.map((row) => row.outputShape)).toEqual([
      [26, 26, 32],
      [13, 13, 32],
      [11, 11, 64],
      [5, 5, 64],
      [1600],
      [1600],
      [10],
    ]);
  });

  it('agrees with the layers themselves on every output shape, parameter and state count, and on which stacks do not fit', () => {
    const imageShape = fc.tuple(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 12 }),
      fc.constantFrom(1, 2, 3),
    );
    fc.assert(
      fc.property(
        fc.array(layerSpecArbitrary, { maxLength: 5 }),
        imageShape,
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(0, 0.3),
        (specs, [h, w, c], classes, dropout) => {
          const sampleShape = c === 1 ? [h, w] : [h, w, c];
          const plan = planClassifier({ layers: specs, activation: 'relu', dropout }, sampleShape, classes);
          const inputShape = specs.some((s) => ['conv', 'maxpool', 'avgpool', 'globalavgpool'].includes(s.kind))
            ? [h, w, c]
            : sampleShape;
          if (E.isLeft(plan)) {
            // The message names the layer as --layers wrote it, and its place.
            const [, item, place] = /^--layers (\S+) \(layer (\d+)\): /.exec(plan.left) ?? [];
            expect(item).toBe(String(layerSpecText(specs[Number(place) - 1])));
            return;
          }
          expect(plan.right.inputShape).toEqual(inputShape);
          const model = classifierOf(plan.right);
          const summary = layers.summarize(model, plan.right.inputShape);
          expect(summary.rows.map((row) => row.outputShape)).toEqual(
            plan.right.layers.map((layer) => layer.outputShape),
          );
          expect(summary.rows.map((row) => row.params)).toEqual(
            plan.right.layers.map((layer) => layer.params + layer.stateValues),
          );
          expect(summary.nonTrainableParams).toBe(
            plan.right.layers.reduce((total, layer) => total + layer.stateValues, 0),
          );
          expect(summary.rows.at(-1)?.outputShape).toEqual([classes]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a stack whose layers do not fit the data, naming the layer and why', () => {
    const conv = (filters: number, size: number): LayerSpec => ({
      kind: 'conv',
      filters,
      size: [size, size],
      strides: [1, 1],
      padding: 'valid',
      dilation: [1, 1],
      activation: null,
    });
    const plan = (specs: readonly LayerSpec[], sampleShape: Shape) =>
      planClassifier({ layers: specs, activation: 'relu', dropout: 0 }, sampleShape, 10);
    expect(plan([conv(8, 5), conv(8, 5), conv(8, 5)], [10, 10])).toEqual(
      E.left(
        "--layers conv:8:5 (layer 3): conv2d: a 5x5 window does not fit in 2x2 input [1,2,2,8] with 'valid' padding",
      ),
    );
    expect(plan([{ kind: 'flatten' }, conv(8, 3)], [10, 10])).toEqual(
      E.left(
        '--layers conv:8:3 (layer 2): needs images ([height, width, channels] per sample), but gets samples of shape [100]',
      ),
    );
    expect(plan([conv(8, 3)], [784])).toEqual(
      E.left(
        '--layers conv:8:3: convolutions and pooling need images ([height, width] or [height, width, channels] per sample), but the samples have shape [784]',
      ),
    );
  });

  it("keeps batch normalization's moving statistics through the model file, so a loaded convnet predicts as the trained one", () => {
    const specs: LayerSpec[] = [
      { kind: 'conv', filters: 3, size: [3, 3], strides: [1, 1], padding: 'same', dilation: [1, 1], activation: null },
      { kind: 'batchnorm', momentum: 0.9, epsilon: 1e-3 },
      { kind: 'maxpool', size: [2, 2], strides: [2, 2], padding: 'valid' },
      { kind: 'dense', units: 4, activation: 'tanh' },
    ];
    const plan = planned(specs, [6, 6], 3);
    const model = classifierOf(plan);
    const x = uniform(key(7), [4, 6, 6, 1]);
    // Statistics that differ from the initial ones, as after training.
    const { params, state } = layers.initLayer(model, key(3), plan.inputShape);
    const trained = layers.applyLayer(model, params, x, { training: true, key: key(4) }, state).state;
    const loaded = throughModelFile(model, params, trained, plan.inputShape);
    expect(loaded.state).toBeDefined();
    const expected = predict(model, params, x, { state: trained });
    expect(Array.from(predict(loaded.model, loaded.params, x, { state: loaded.state }).values)).toEqual(
      Array.from(expected.values),
    );
  });
});
