import { describe, it } from 'vitest';
import { key, mean, oneHot, type Tensor, type TensorTree } from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { layers, losses, type Layer, type Loss } from '../src/index.js';
import { f64, labels, values64 } from './helpers.js';

// Whole models through the training objective (split output, fused losses), checked
// against central differences with respect to every parameter.
const cases: [string, Layer, number[], Loss, Tensor][] = [
  [
    'flatten → dense(relu) → dropout → dense(softmax), sparse cross-entropy from the logits',
    layers.sequential([layers.flatten(), layers.dense(5, { activation: 'relu' }), layers.dropout(0.3), layers.dense(3, { activation: 'softmax' })]),
    [2, 2],
    losses.sparseCategoricalCrossentropy(),
    labels(1, 6, 3),
  ],
  [
    'dense(tanh) → dense → softmax layer, categorical cross-entropy',
    layers.sequential([layers.dense(4, { activation: 'tanh' }), layers.dense(3), layers.softmax()]),
    [3],
    losses.categoricalCrossentropy(),
    oneHot(labels(2, 6, 3), 3, 'float64'),
  ],
  [
    'dense(gelu) → elu → dense(sigmoid), binary cross-entropy',
    layers.sequential([layers.dense(4, { activation: 'gelu' }), layers.elu(), layers.dense(2, { activation: 'sigmoid' })]),
    [3],
    losses.binaryCrossentropy(),
    values64(3, [6, 2], 0, 1),
  ],
  [
    'dense(sigmoid) → leakyRelu → reshape → dense, mean squared error',
    layers.sequential([layers.dense(4, { activation: 'sigmoid' }), layers.leakyRelu(), layers.reshape([2, 2]), layers.dense(1)]),
    [3],
    losses.meanSquaredError(),
    values64(4, [6, 2, 1]),
  ],
  [
    'nested sequential, softplus, no bias, logits loss',
    layers.sequential([layers.sequential([layers.dense(4, { activation: 'softplus', useBias: false })]), layers.dense(3)]),
    [3],
    losses.sparseCategoricalCrossentropy({ fromLogits: true }),
    labels(5, 6, 3),
  ],
];

describe('whole-model gradients (float64, central differences)', () => {
  it.each(cases)('%s', (_name, model, inputShape, loss, targets) => {
    const { params } = model.init(key(7), inputShape, f64);
    const x = values64(8, [6, ...inputShape], -1, 1, 0.05);
    const ctx = { training: true, key: key(9) };
    assertGradients(
      (p: TensorTree) => mean(loss.perSampleFromSplit(targets, layers.applySplit(model, p, x, ctx))),
      params,
      { rtol: 1e-5, atol: 1e-8 },
    );
  });
});

describe('whole-convnet gradients in training mode, batch normalization included (float64, central differences)', () => {
  it.each([['valid', 1], ['same', 2]] as const)('conv2d(%s, stride %i) → batchNormalization → relu → maxPooling → flatten → dense(softmax)', (padding, strides) => {
    const model = layers.sequential([
      layers.conv2d(3, 2, { padding, strides }),
      layers.batchNormalization(),
      layers.relu(),
      layers.maxPooling2d(2, { padding: 'same' }),
      layers.flatten(),
      layers.dense(3, { activation: 'softmax' }),
    ]);
    const { params, state } = model.init(key(7), [5, 5, 2], f64);
    const x = values64(8, [4, 5, 5, 2], -1, 1);
    const targets = labels(5, 4, 3);
    const loss = losses.sparseCategoricalCrossentropy();
    assertGradients(
      (p: readonly TensorTree[]) => mean(loss.perSampleFromSplit(targets, layers.applyLayerSplit(model, p, x, { training: true }, state).split)),
      params,
      { rtol: 1e-5, atol: 1e-8 },
    );
  });
});

