import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, conv2d as conv2dOp, key, softmax, type Tensor } from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { activate, activationNames } from '../activations/activations.js';
import { constant } from '../initializers/initializers.js';
import { f64, values64, weighted } from '../../test/helpers.js';
import { conv2d, type Conv2DParams } from './conv2d.js';
import { applySplit } from './layer.js';

describe('conv2d layer', () => {
  it('has Keras-layout params, Glorot-uniform kernels over the taps, zero bias, and the output shape of its geometry', () => {
    const { params, outputShape } = conv2d(32, 3).init(key(0), [28, 28, 1]);
    expect(outputShape).toEqual([26, 26, 32]);
    expect(params.kernel.shape).toEqual([3, 3, 1, 32]);
    expect('bias' in params && Array.from(params.bias.values)).toEqual(new Array(32).fill(0));
    // Keras: limit sqrt(6 / (fanIn + fanOut)) with fans 3·3·1 and 3·3·32.
    const limit = Math.sqrt(6 / (9 + 288));
    expect(params.kernel.values.every((v) => Math.abs(v) <= limit)).toBe(true);
    expect(Math.max(...Array.from(params.kernel.values, Math.abs))).toBeGreaterThan(0.9 * limit);
    expect(
      conv2d(8, [2, 3], { strides: 2, padding: 'same', useBias: false }).init(key(0), [7, 7, 3]).outputShape,
    ).toEqual([4, 4, 8]);
    expect(conv2d(8, 3, { useBias: false }).init(key(0), [5, 5, 2]).params).not.toHaveProperty('bias');
    expect(conv2d(4, 3, { dilation: 2 }).init(key(0), [9, 9, 1]).outputShape).toEqual([5, 5, 4]);
  });

  it('computes activation(conv2d(x, kernel) + bias) with its strides, padding and dilation', () => {
    const layer = conv2d(3, [2, 3], {
      strides: [1, 2],
      padding: 'same',
      dilation: [2, 1],
      activation: 'tanh',
      biasInitializer: constant(0.1),
    });
    const { params } = layer.init(key(1), [6, 5, 2], f64);
    const x = values64(2, [2, 6, 5, 2]);
    const bias = 'bias' in params ? params.bias : 0;
    const expected = activate(
      'tanh',
      add(conv2dOp(x, params.kernel, { strides: [1, 2], padding: 'same', dilation: [2, 1] }), bias),
    );
    expect(layer.apply(params, x).values).toEqual(expected.values);
  });

  it('has gradients with respect to inputs and params, over random geometries, activations and sizes', () => {
    const arb = fc.record({
      seed: fc.nat(10_000),
      batch: fc.integer({ min: 1, max: 2 }),
      channels: fc.integer({ min: 1, max: 3 }),
      filters: fc.integer({ min: 1, max: 3 }),
      kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      strides: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      // Rows and columns beyond the dilated window, so 'valid' always fits.
      extra: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
      padding: fc.constantFrom('valid' as const, 'same' as const),
      activation: fc.constantFrom(...activationNames),
      useBias: fc.boolean(),
    });
    fc.assert(
      fc.property(
        arb,
        ({ seed, batch, channels, filters, kernel, strides, dilation, extra, padding, activation, useBias }) => {
          const geometry = { strides, dilation, padding, useBias };
          const layer = conv2d(filters, kernel, { ...geometry, activation });
          const inputShape = [0, 1].map((a) => (kernel[a] - 1) * dilation[a] + 1 + extra[a]).concat(channels);
          const { params: initial } = layer.init(key(seed), inputShape, f64);
          const params: Conv2DParams =
            'bias' in initial ? { ...initial, bias: values64(seed + 1, [filters], -0.5, 0.5) } : initial;
          const x = values64(seed + 2, [batch, ...inputShape]);
          // Kinks of relu and leakyRelu at 0: check only when no pre-activation is near one.
          fc.pre(
            conv2d(filters, kernel, geometry)
              .apply(params, x)
              .values.every((v) => Math.abs(v) > 1e-3),
          );
          assertGradients(
            (p: { params: Conv2DParams; x: Tensor }) => weighted(layer.apply(p.params, p.x), seed),
            { params, x },
            { rtol: 1e-5, atol: 1e-7 },
          );
        },
      ),
      { numRuns: 25 },
    );
  });

  it('leaves a final softmax to the loss', () => {
    const layer = conv2d(3, 1, { activation: 'softmax' });
    const { params } = layer.init(key(0), [2, 2, 2], f64);
    const x = values64(3, [1, 2, 2, 2]);
    const split = applySplit(layer, params, x);
    expect(split.activation).toBe('softmax');
    expect(softmax(split.preActivation).values).toEqual(layer.apply(params, x).values);
  });

  it('refuses input it cannot convolve, naming the layer', () => {
    const layer = conv2d(8, 5, { activation: 'relu' });
    expect(() => layer.init(key(0), [4, 4, 1])).toThrow(
      "conv2d(8, 5x5, relu): a 5x5 window does not fit in 4x4 input [1,4,4,1] with 'valid' padding",
    );
    expect(() => layer.init(key(0), [784])).toThrow(
      'conv2d(8, 5x5, relu): expects image samples [height, width, channels], got [784]',
    );
    const { params } = layer.init(key(0), [8, 8, 3]);
    expect(() => layer.apply(params, values64(0, [1, 8, 8, 1]))).toThrow(
      'conv2d(8, 5x5, relu): expects images [batch,height,width,3], got [1,8,8,1]',
    );
    expect(() => conv2d(0, 3)).toThrow('conv2d(0, 3x3, linear): filters must be a positive integer, got 0');
  });
});
