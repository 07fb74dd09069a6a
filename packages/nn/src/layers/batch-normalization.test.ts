import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, grad, key, sum, tensor, type Tensor } from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { f64, values64, weighted } from '../../test/helpers.js';
import { batchNormalization, type BatchNormalizationParams } from './batch-normalization.js';
import { describeLayer } from './config.js';
import { inference } from './layer.js';

/** Per-channel (last axis) mean and biased variance of `x`, in double precision, by hand. */
const channelMoments = (x: Tensor): { mean: number[]; variance: number[] } => {
  const channels = x.shape[x.rank - 1];
  const rows = x.size / channels;
  const mean = Array.from({ length: channels }, (_, c) => {
    let total = 0;
    for (let r = 0; r < rows; r++) total += x.values[r * channels + c];
    return total / rows;
  });
  const variance = mean.map((m, c) => {
    let total = 0;
    for (let r = 0; r < rows; r++) total += (x.values[r * channels + c] - m) ** 2;
    return total / rows;
  });
  return { mean, variance };
};

describe('batchNormalization', () => {
  const layer = batchNormalization();

  it('has Keras’s defaults: gamma 1 and beta 0 as params, moving mean 0 and variance 1 as state', () => {
    expect(layer.config).toEqual({
      kind: 'batchNormalization',
      momentum: 0.99,
      epsilon: 1e-3,
      center: true,
      scale: true,
    });
    const { params, state, outputShape } = layer.init(key(0), [5, 5, 3]);
    expect(outputShape).toEqual([5, 5, 3]);
    expect(params).toEqual({ gamma: tensor([1, 1, 1]), beta: tensor([0, 0, 0]) });
    expect(state).toEqual({ movingMean: tensor([0, 0, 0]), movingVariance: tensor([1, 1, 1]) });
    expect(Object.keys(batchNormalization({ center: false }).init(key(0), [3]).params)).toEqual(['gamma']);
    expect(Object.keys(batchNormalization({ scale: false }).init(key(0), [3]).params)).toEqual(['beta']);
    expect(describeLayer(layer.config)).toBe('batchNormalization(momentum 0.99, epsilon 0.001)');
  });

  it('trains on batch statistics and moves the state by moving·momentum + batch·(1 − momentum)', () => {
    const x = values64(1, [4, 3, 2, 3], -2, 3);
    const { params } = layer.init(key(0), [3, 2, 3], f64);
    const state = {
      movingMean: tensor([0.5, -1, 2], { dtype: 'float64' }),
      movingVariance: tensor([1, 4, 0.25], { dtype: 'float64' }),
    };
    const gamma = [1.5, 0.5, -1];
    const beta = [0.1, 0, -0.2];
    const trained = { gamma: tensor(gamma, { dtype: 'float64' }), beta: tensor(beta, { dtype: 'float64' }) };
    expect(params).toHaveProperty('gamma');
    const { y, state: next } = layer.apply(trained, x, { training: true }, state);
    const { mean, variance } = channelMoments(x);
    x.values.forEach((v, i) => {
      const c = i % 3;
      expect(y.values[i]).toBeCloseTo(((v - mean[c]) / Math.sqrt(variance[c] + 1e-3)) * gamma[c] + beta[c], 12);
    });
    next.movingMean.values.forEach((v, c) =>
      expect(v).toBeCloseTo(state.movingMean.values[c] * 0.99 + mean[c] * 0.01, 14),
    );
    next.movingVariance.values.forEach((v, c) =>
      expect(v).toBeCloseTo(state.movingVariance.values[c] * 0.99 + variance[c] * 0.01, 14),
    );
  });

  it('infers with the moving statistics and returns the state unchanged', () => {
    const x = values64(2, [5, 3], -2, 2);
    const state = {
      movingMean: tensor([0.5, -1, 2], { dtype: 'float64' }),
      movingVariance: tensor([1, 4, 0.25], { dtype: 'float64' }),
    };
    const params = { gamma: tensor([2, 1, 1], { dtype: 'float64' }), beta: tensor([0, 1, 0], { dtype: 'float64' }) };
    const { y, state: after } = layer.apply(params, x, inference, state);
    expect(after).toBe(state);
    x.values.forEach((v, i) => {
      const c = i % 3;
      const expected =
        ((v - state.movingMean.values[c]) / Math.sqrt(state.movingVariance.values[c] + 1e-3)) * params.gamma.values[c] +
        params.beta.values[c];
      expect(y.values[i]).toBeCloseTo(expected, 12);
    });
  });

  it('has gradients through the batch statistics in training and through the moving ones in inference', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        (seed, shape, center, scale) => {
          const bn = batchNormalization({ center, scale });
          const { params, state } = bn.init(key(seed), shape.slice(1), f64);
          const shifted = {
            ...params,
            ...('gamma' in params ? { gamma: values64(seed + 1, [shape.at(-1) ?? 1], 0.5, 2) } : {}),
          } as BatchNormalizationParams;
          const x = values64(seed, shape, -2, 2);
          for (const ctx of [{ training: true }, inference]) {
            assertGradients(
              (p: { params: BatchNormalizationParams; x: Tensor }) =>
                weighted(bn.apply(p.params, p.x, ctx, state).y, seed),
              { params: shifted, x },
            );
          }
        },
      ),
      { numRuns: 10 },
    );
  });

  it('keeps the new state out of the gradient: the batch statistics it moves towards are stopped', () => {
    const { params, state } = layer.init(key(0), [3], f64);
    const statistics = (v: Tensor): Tensor => {
      const { state: next } = layer.apply(params, v, { training: true }, state);
      return add(sum(next.movingMean), sum(next.movingVariance));
    };
    expect(Array.from(grad(statistics)(values64(3, [4, 3])).values)).toEqual(new Array(12).fill(0));
  });

  it('refuses bad options and inputs, naming the layer', () => {
    expect(() => batchNormalization({ momentum: 1.5 })).toThrow(
      'batchNormalization(momentum 1.5, epsilon 0.001): momentum must be in [0, 1], got 1.5',
    );
    expect(() => batchNormalization({ epsilon: 0 })).toThrow('epsilon must be positive, got 0');
    const { params, state } = layer.init(key(0), [3]);
    expect(() => layer.apply(params, values64(0, [2, 4]), inference, state)).toThrow(
      'batchNormalization(momentum 0.99, epsilon 0.001): expects inputs [batch,...,3], got [2,4]',
    );
  });
});
