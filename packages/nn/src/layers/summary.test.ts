import { describe, expect, it } from 'vitest';
import { batchNormalization } from './batch-normalization.js';
import { conv2d } from './conv2d.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { maxPooling2d } from './pooling.js';
import { flatten } from './reshape.js';
import { sequential } from './sequential.js';
import { summarize, summary } from './summary.js';

describe('summary', () => {
  const mlp = sequential([
    flatten(),
    dense(128, { activation: 'relu' }),
    dropout(0.2),
    dense(128, { activation: 'relu' }),
    dense(10, { activation: 'softmax' }),
  ]);

  it('counts the 118,282 parameters of the 784-128-128-10 MLP, layer by layer', () => {
    const { rows, totalParams } = summarize(mlp, [28, 28]);
    expect(totalParams).toBe(118_282);
    expect(rows.map((r) => [r.name, r.outputShape, r.params])).toEqual([
      ['flatten', [784], 0],
      ['dense', [128], 100_480],
      ['dropout', [128], 0],
      ['dense_1', [128], 16_512],
      ['dense_2', [10], 1_290],
    ]);
  });

  it('prints a table with thousands separators', () => {
    const text = summary(mlp, [28, 28]);
    expect(text).toContain('dense_2  dense(10, softmax)  [batch,10]');
    expect(text).toContain('100,480');
    expect(text.split('\n').slice(-3)).toEqual([
      'Total params: 118,282',
      'Trainable params: 118,282',
      'Non-trainable params: 0',
    ]);
  });

  it('summarizes a single layer as one row', () => {
    expect(summarize(dense(3, { useBias: false }), [5]).rows).toEqual([
      { name: 'dense', layer: 'dense(3, linear)', outputShape: [3], params: 15 },
    ]);
  });

  it('counts the 34,826 parameters of Keras’s mnist_convnet, layer by layer', () => {
    const convnet = sequential([
      conv2d(32, 3, { activation: 'relu' }),
      maxPooling2d(2),
      conv2d(64, 3, { activation: 'relu' }),
      maxPooling2d(2),
      flatten(),
      dropout(0.5),
      dense(10, { activation: 'softmax' }),
    ]);
    const { rows, totalParams, nonTrainableParams } = summarize(convnet, [28, 28, 1]);
    expect([totalParams, nonTrainableParams]).toEqual([34_826, 0]);
    expect(rows.map((r) => [r.name, r.outputShape, r.params])).toEqual([
      ['conv2d', [26, 26, 32], 320],
      ['maxPooling2d', [13, 13, 32], 0],
      ['conv2d_1', [11, 11, 64], 18_496],
      ['maxPooling2d_1', [5, 5, 64], 0],
      ['flatten', [1600], 0],
      ['dropout', [1600], 0],
      ['dense', [10], 16_010],
    ]);
  });

  it('counts batch normalization’s moving statistics as non-trainable, as Keras does', () => {
    const model = sequential([conv2d(8, 3), batchNormalization(), flatten(), dense(2)]);
    const { rows, totalParams, trainableParams, nonTrainableParams } = summarize(model, [6, 6, 1]);
    expect(rows[1]).toEqual({
      name: 'batchNormalization',
      layer: 'batchNormalization(momentum 0.99, epsilon 0.001)',
      outputShape: [4, 4, 8],
      params: 32,
    });
    expect([trainableParams, nonTrainableParams]).toEqual([80 + 16 + 128 * 2 + 2, 16]);
    expect(totalParams).toBe(trainableParams + 16);
    expect(summary(model, [6, 6, 1]).split('\n').slice(-2)).toEqual([
      'Trainable params: 354',
      'Non-trainable params: 16',
    ]);
  });
});
