import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { optimizerByName } from '@axon/nn';
import { key, treeLeaves } from '@axon/tensor';
import { describe, expect, it } from 'vitest';
import { classifierOf, planClassifier, type Architecture } from '../model/architecture.js';
import { builtInModels, type LayerSpec } from '../model/layer-spec.js';
import { checkModelSize, estimateTrainingMemory, type ModelShape } from './model-size.js';
import { modelShapeOf } from './size-check.js';
import { evaluationBatchSize as evaluationBatch } from './settings.js';
import { OptimizerName } from './vocabulary.js';

/** Values held by the tensors anywhere inside an optimizer state (which mixes tensors, arrays and records). */
function valuesIn(state: unknown): number {
  if (typeof state !== 'object' || state === null) return 0;
  if ('shape' in state && 'values' in state) return (state.values as ArrayLike<number>).length;
  return Object.values(state).reduce((total: number, inner) => total + valuesIn(inner), 0);
}

/** A dense classifier: `inputSize` values, hidden `layers`, `classes` outputs. */
interface DenseShape {
  readonly inputSize: number;
  readonly layers: readonly number[];
  readonly classes: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerName;
}

const dense = (units: number): LayerSpec => ({ kind: 'dense', units, activation: null });

const architectureOf = (
  layers: readonly LayerSpec[],
  sampleShape: readonly number[],
  classes: number,
): Architecture => {
  const planned = planClassifier({ layers, activation: 'relu', dropout: 0 }, sampleShape, classes);
  if (E.isLeft(planned)) throw new Error(planned.left);
  return planned.right;
};

const modelShape = (shape: DenseShape): ModelShape =>
  modelShapeOf(architectureOf(shape.layers.map(dense), [shape.inputSize], shape.classes), shape);

const shapeArbitrary = fc.record({
  inputSize: fc.integer({ min: 1, max: 40 }),
  layers: fc.array(fc.integer({ min: 1, max: 24 }), { maxLength: 3 }),
  classes: fc.integer({ min: 1, max: 12 }),
  batchSize: fc.integer({ min: 1, max: 4000 }),
  optimizer: fc.constantFrom(...OptimizerName.values),
});

describe('estimateTrainingMemory', () => {
  it('counts the parameters the classifier really has, and the optimizer state it really keeps', () => {
    fc.assert(
      fc.property(shapeArbitrary, (shape) => {
        const model = classifierOf(architectureOf(shape.layers.map(dense), [shape.inputSize], shape.classes));
        const { params } = model.init(key(0), [shape.inputSize]);
        const parameters = treeLeaves(params).reduce((total, leaf) => total + leaf.size, 0);
        const estimate = estimateTrainingMemory(modelShape(shape));
        expect(estimate.parameters).toBe(parameters);
        // The state's values, per parameter, beyond a few scalars such as Adam's step count.
        const stateValues = valuesIn(optimizerByName(shape.optimizer, 0.01).init(params));
        const slots = Math.floor(stateValues / parameters);
        expect(stateValues - slots * parameters).toBeLessThan(8);
        // Every state slot costs the same in the estimate: adding one adds the same bytes as another.
        const stateless = estimateTrainingMemory(modelShape({ ...shape, optimizer: 'sgd' }));
        const activations =
          4 *
          4 *
          [shape.inputSize, ...shape.layers, shape.classes].reduce((a, b) => a + b, 0) *
          Math.max(shape.batchSize, evaluationBatch);
        expect(estimate.bytes - stateless.bytes).toBe(16 * slots * parameters);
        expect(stateless.bytes).toBe(32 * parameters + activations);
      }),
      { numRuns: 60 },
    );
  });

  it('grows with every layer width and with the batch', () => {
    fc.assert(
      fc.property(shapeArbitrary, fc.nat({ max: 3 }), (shape, i) => {
        const before = estimateTrainingMemory(modelShape(shape)).bytes;
        const layers = shape.layers.map((units, j) => (j === i ? units + 1 : units));
        expect(estimateTrainingMemory(modelShape({ ...shape, layers })).bytes).toBeGreaterThanOrEqual(before);
        expect(estimateTrainingMemory(modelShape({ ...shape, inputSize: shape.inputSize + 1 })).bytes).toBeGreaterThan(
          before,
        );
        expect(
          estimateTrainingMemory(modelShape({ ...shape, batchSize: Math.max(shape.batchSize, evaluationBatch) + 1 }))
            .bytes,
        ).toBeGreaterThan(before);
      }),
    );
  });
});

describe('checkModelSize', () => {
  it('accepts exactly the models whose estimate fits, and names the estimate and the limit otherwise', () => {
    fc.assert(
      fc.property(shapeArbitrary, fc.double({ min: 1, max: 1e9, noNaN: true }), (shape, bytes) => {
        const estimate = estimateTrainingMemory(modelShape(shape));
        const result = checkModelSize(modelShape(shape), { bytes, source: '--max-memory' });
        if (estimate.bytes <= bytes) expect(result).toEqual(E.right(estimate));
        else
          expect(E.isLeft(result) && result.left).toMatch(
            new RegExp(
              `^the model needs about [\\d.]+ [kMG]?B to train \\(${estimate.parameters.toLocaleString('en-US')} parameters with ${shape.optimizer}\\), more than the [\\d.]+ [kMG]?B allowed \\(--max-memory\\); `,
            ),
          );
      }),
    );
  });

  it('refuses the models of issue 16 on a machine of 24 GB, and not the tutorial', () => {
    const limit = { bytes: 12e9, source: "half of this machine's memory" };
    const mnist = { inputSize: 784, classes: 10, batchSize: 128, optimizer: 'adam' as const };
    expect(E.isLeft(checkModelSize(modelShape({ ...mnist, layers: [100000, 100000] }), limit))).toBe(true);
    expect(E.isLeft(checkModelSize(modelShape({ ...mnist, layers: [30000, 30000] }), limit))).toBe(true);
    expect(checkModelSize(modelShape({ ...mnist, layers: [128, 128] }), limit)).toEqual(
      E.right({ parameters: 118282, bytes: expect.any(Number) }),
    );
  });
});

describe('the memory estimate of convolutional networks', () => {
  const mnistShape = (layers: readonly LayerSpec[], batchSize = 128): ModelShape =>
    modelShapeOf(architectureOf(layers, [28, 28], 10), { batchSize, optimizer: 'adam' });

  it("counts Keras's mnist_convnet as Keras does (34,826 params) and its activations image by image", () => {
    const estimate = estimateTrainingMemory(mnistShape(builtInModels.cnn));
    expect(estimate.parameters).toBe(34_826);
    // Per image: the input, two convolutions' and two poolings' output images, dropout and the softmax (the flatten shares its input).
    const values = 784 + 26 * 26 * 32 + 13 * 13 * 32 + 11 * 11 * 64 + 5 * 5 * 64 + 1600 + 10;
    const params = 34_826;
    expect(estimate.bytes).toBe(4 * (16 * params + 4 * values * evaluationBatch));
  });

  it("counts batch normalization's statistics as parameters, and more filters or a larger batch as more memory", () => {
    const conv = (filters: number): LayerSpec => ({
      kind: 'conv',
      filters,
      size: [3, 3],
      strides: [1, 1],
      padding: 'same',
      dilation: [1, 1],
      activation: null,
    });
    const batchNorm: LayerSpec = { kind: 'batchnorm', momentum: 0.99, epsilon: 1e-3 };
    const plain = estimateTrainingMemory(mnistShape([conv(8)]));
    const normalized = estimateTrainingMemory(mnistShape([conv(8), batchNorm]));
    expect(normalized.parameters - plain.parameters).toBe(4 * 8);
    expect(estimateTrainingMemory(mnistShape([conv(16)])).bytes).toBeGreaterThan(plain.bytes);
    expect(estimateTrainingMemory(mnistShape([conv(8)], 4096)).bytes).toBeGreaterThan(plain.bytes);
  });

  it('refuses a convolutional network whose activations cannot fit, naming the estimate', () => {
    const wide: LayerSpec = {
      kind: 'conv',
      filters: 4096,
      size: [3, 3],
      strides: [1, 1],
      padding: 'same',
      dilation: [1, 1],
      activation: null,
    };
    const result = checkModelSize(mnistShape([wide, wide]), { bytes: 12e9, source: "half of this machine's memory" });
    expect(E.isLeft(result) && result.left).toMatch(
      /^the model needs about [\d.]+ [kMGT]?B to train \([\d,]+ parameters with adam\), more than the 12\.0 GB allowed/,
    );
  });
});
