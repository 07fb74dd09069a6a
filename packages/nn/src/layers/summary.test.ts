import { describe, expect, it } from 'vitest';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { flatten } from './reshape.js';
import { sequential } from './sequential.js';
import { summarize, summary } from './summary.js';

describe('summary', () => {
  const mlp = sequential([flatten(), dense(128, { activation: 'relu' }), dropout(0.2), dense(128, { activation: 'relu' }), dense(10, { activation: 'softmax' })]);

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
    expect(text.split('\n').slice(-3)).toEqual(['Total params: 118,282', 'Trainable params: 118,282', 'Non-trainable params: 0']);
  });

  it('summarizes a single layer as one row', () => {
    expect(summarize(dense(3, { useBias: false }), [5]).rows).toEqual([{ name: 'dense', layer: 'dense(3, linear)', outputShape: [3], params: 15 }]);
  });
});
