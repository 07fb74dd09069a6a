import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { optimizerByName } from '@axon/nn';
import { key, treeLeaves } from '@axon/tensor';
import { describe, expect, it } from 'vitest';
import { classifier } from '../model/classifier.js';
import { checkModelSize, estimateTrainingMemory } from './model-size.js';
import { evaluationBatchSize as evaluationBatch } from './settings.js';
import { OptimizerName } from './vocabulary.js';

/** Values held by the tensors anywhere inside an optimizer state (which mixes tensors, arrays and records). */
function valuesIn(state: unknown): number {
  if (typeof state !== 'object' || state === null) return 0;
  if ('shape' in state && 'values' in state) return (state.values as ArrayLike<number>).length;
  return Object.values(state).reduce((total: number, inner) => total + valuesIn(inner), 0);
}

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
        const model = classifier({ layers: shape.layers, activation: 'relu', dropout: 0 }, shape.classes);
        const { params } = model.init(key(0), [shape.inputSize]);
        const parameters = treeLeaves(params).reduce((total, leaf) => total + leaf.size, 0);
        const estimate = estimateTrainingMemory(shape);
        expect(estimate.parameters).toBe(parameters);
        // The state's values, per parameter, beyond a few scalars such as Adam's step count.
        const stateValues = valuesIn(optimizerByName(shape.optimizer, 0.01).init(params));
        const slots = Math.floor(stateValues / parameters);
        expect(stateValues - slots * parameters).toBeLessThan(8);
        // Every state slot costs the same in the estimate: adding one adds the same bytes as another.
        const stateless = estimateTrainingMemory({ ...shape, optimizer: 'sgd' });
        const activations = 4 * 4 * [shape.inputSize, ...shape.layers, shape.classes].reduce((a, b) => a + b, 0) * Math.max(shape.batchSize, evaluationBatch);
        expect(estimate.bytes - stateless.bytes).toBe(16 * slots * parameters);
        expect(stateless.bytes).toBe(32 * parameters + activations);
      }),
      { numRuns: 60 },
    );
  });

  it('grows with every layer width and with the batch', () => {
    fc.assert(
      fc.property(shapeArbitrary, fc.nat({ max: 3 }), (shape, i) => {
        const before = estimateTrainingMemory(shape).bytes;
        const layers = shape.layers.map((units, j) => (j === i ? units + 1 : units));
        expect(estimateTrainingMemory({ ...shape, layers }).bytes).toBeGreaterThanOrEqual(before);
        expect(estimateTrainingMemory({ ...shape, inputSize: shape.inputSize + 1 }).bytes).toBeGreaterThan(before);
        expect(estimateTrainingMemory({ ...shape, batchSize: Math.max(shape.batchSize, evaluationBatch) + 1 }).bytes).toBeGreaterThan(before);
      }),
    );
  });
});

describe('checkModelSize', () => {
  it('accepts exactly the models whose estimate fits, and names the estimate and the limit otherwise', () => {
    fc.assert(
      fc.property(shapeArbitrary, fc.double({ min: 1, max: 1e9, noNaN: true }), (shape, bytes) => {
        const estimate = estimateTrainingMemory(shape);
        const result = checkModelSize(shape, { bytes, source: '--max-memory' });
        if (estimate.bytes <= bytes) expect(result).toEqual(E.right(estimate));
        else expect(E.isLeft(result) && result.left).toMatch(new RegExp(`^the model needs about [\\d.]+ [kMG]?B to train \\(${estimate.parameters.toLocaleString('en-US')} parameters with ${shape.optimizer}\\), more than the [\\d.]+ [kMG]?B allowed \\(--max-memory\\); `));
      }),
    );
  });

  it('refuses the models of issue 16 on a machine of 24 GB, and not the tutorial', () => {
    const limit = { bytes: 12e9, source: "half of this machine's memory" };
    const mnist = { inputSize: 784, classes: 10, batchSize: 128, optimizer: 'adam' as const };
    expect(E.isLeft(checkModelSize({ ...mnist, layers: [100000, 100000] }, limit))).toBe(true);
    expect(E.isLeft(checkModelSize({ ...mnist, layers: [30000, 30000] }, limit))).toBe(true);
    expect(checkModelSize({ ...mnist, layers: [128, 128] }, limit)).toEqual(E.right({ parameters: 118282, bytes: expect.any(Number) }));
  });
});
