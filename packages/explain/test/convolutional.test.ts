import { describe, expect, it } from 'vitest';
import { layers } from '@axon/nn';
import { key, type TensorTree } from '@axon/tensor';
import { integratedGradients, modelScores, saliency } from '../src/index.js';
import { values64 } from './support/models.js';

// A small CNN with batch normalization (stateful) and max pooling, in float64: the
// attribution methods take it like any other model.
describe('a convolutional model', () => {
  const model = layers.sequential([
    layers.conv2d(3, 3, { activation: 'tanh', padding: 'same' }),
    layers.batchNormalization(),
    layers.maxPooling2d(2),
    layers.flatten(),
    layers.dense(3, { activation: 'softmax' }),
  ]);
  const { params, state } = model.init(key(4), [6, 6, 1], { dtype: 'float64' });
  const f = modelScores(model, params, { state: state as readonly TensorTree[] });
  const images = values64(5, [2, 6, 6, 1], 0, 1);

  it('gets attributions the shape of its images, with Integrated Gradients adding up', () => {
    const ig = integratedGradients(f, images, { steps: 256 });
    expect(ig.attributions.shape).toEqual([2, 6, 6, 1]);
    // Max pooling switches its winner along the path: the rate is 1/steps, so a looser bound.
    ig.completenessError.forEach((error) => expect(Math.abs(error)).toBeLessThan(2e-3));
    expect(saliency(f, images).attributions.shape).toEqual([2, 6, 6, 1]);
  });
});
