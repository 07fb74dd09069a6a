import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, key, matmul, softmax, type Tensor } from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { activate, activationNames, type ActivationName } from '../activations/activations.js';
import { constant, heNormal } from '../initializers/initializers.js';
import { f64, values64, weighted } from '../../test/helpers.js';
import { dense, type DenseParams } from './dense.js';
import { applySplit, LayerError } from './layer.js';

describe('dense', () => {
  it('has Keras-layout params and output shape', () => {
    const { params, outputShape } = dense(3).init(key(0), [4]);
    expect(outputShape).toEqual([3]);
    expect('bias' in params && params.bias.shape).toEqual([3]);
    expect(params.kernel.shape).toEqual([4, 3]);
    expect(dense(3, { useBias: false }).init(key(0), [4]).params).not.toHaveProperty('bias');
    expect(dense(5).init(key(0), [7, 4]).outputShape).toEqual([7, 5]);
  });

  it('uses the initializers it is given', () => {
    const { params } = dense(2, { kernelInitializer: constant(0.5), biasInitializer: constant(-1) }).init(key(0), [3]);
    expect(params.kernel.toArray()).toEqual([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]);
    expect('bias' in params && params.bias.toArray()).toEqual([-1, -1]);
    expect(dense(2, { kernelInitializer: heNormal() }).config.kernelInitializer).toEqual({ kind: 'heNormal' });
  });

  it.each(activationNames)('computes %s(x · kernel + bias)', (activation: ActivationName) => {
    const layer = dense(3, { activation });
    const { params } = layer.init(key(1), [4], f64);
    const x = values64(2, [5, 4], -2, 2);
    const bias = 'bias' in params ? params.bias : undefined;
    const expected = activate(activation, add(matmul(x, params.kernel), bias ?? 0));
    const actual = layer.apply(params, x).values;
    expected.values.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 12));
  });

  it.each(activationNames)('has gradients with respect to inputs and params (%s)', (activation: ActivationName) => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), (seed, batch, inputs, units) => {
        const layer = dense(units, { activation, biasInitializer: constant(0.1) });
        const { params } = layer.init(key(seed), [inputs], f64);
        // Inputs are kept away from 0 and few, so relu's kink is rarely within a step.
        const x = values64(seed + 1, [batch, inputs], -1, 1, 0.1);
        assertGradients((p: { params: DenseParams; x: Tensor }) => weighted(layer.apply(p.params, p.x), seed), { params, x }, { rtol: 1e-5, atol: 1e-7 });
      }),
      { numRuns: 4 },
    );
  });

  it('leaves a final softmax or sigmoid to the loss', () => {
    const layer = dense(3, { activation: 'softmax' });
    const { params } = layer.init(key(1), [2], f64);
    const x = values64(3, [4, 2]);
    const split = applySplit(layer, params, x);
    expect(split.activation).toBe('softmax');
    expect(softmax(split.preActivation).values).toEqual(layer.apply(params, x).values);
    expect(applySplit(dense(3, { activation: 'relu' }), params, x).activation).toBe('none');
  });

  it('names itself and the shapes when the input does not fit', () => {
    const layer = dense(3, { activation: 'relu' });
    const { params } = layer.init(key(0), [4]);
    expect(() => layer.apply(params, values64(0, [2, 5]))).toThrow(LayerError);
    expect(() => layer.apply(params, values64(0, [2, 5]))).toThrow('dense(3, relu): expects inputs [batch,4] (or more leading axes), got [2,5]');
    expect(() => layer.apply(params, values64(0, [2, 4]))).toThrow('dense(3, relu): expects float32 inputs like its params, got float64');
    expect(() => dense(0)).toThrow('units must be a positive integer');
  });
});
