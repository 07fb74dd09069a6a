import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key, type Tensor } from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { activate, activationNames } from '../activations/activations.js';
import { values64, weighted } from '../../test/helpers.js';
import { activation, elu, gelu, leakyRelu, linear, relu, sigmoid, softmax, tanh } from './activation.js';
import { applySplit, finishOutput } from './layer.js';

describe('activation layers', () => {
  it('keep the shape and have no params', () => {
    const { params, outputShape } = relu().init(key(0), [3, 4]);
    expect(params).toEqual({});
    expect(outputShape).toEqual([3, 4]);
  });

  it('have shorthands for each activation', () => {
    const shorthands = { relu, sigmoid, tanh, softmax, leakyRelu, elu, gelu, linear };
    Object.entries(shorthands).forEach(([name, make]) =>
      expect(make().config).toEqual({ kind: 'activation', activation: name }),
    );
  });

  it.each(activationNames)('%s has gradients with respect to its input, over random shapes and values', (name) => {
    const layer = activation(name);
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        (seed, shape) => {
          const x = values64(seed, shape, -3, 3, 0.05);
          expect(layer.apply({}, x).values).toEqual(activate(name, x).values);
          assertGradients((input: Tensor) => weighted(layer.apply({}, input), seed), x);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('splits before a final softmax or sigmoid only', () => {
    const x = values64(1, [2, 3]);
    activationNames.forEach((name) => {
      const split = applySplit(activation(name), {}, x);
      expect(split.activation).toBe(name === 'softmax' || name === 'sigmoid' ? name : 'none');
      expect(finishOutput(split).values).toEqual(activate(name, x).values);
    });
  });

  it('refuses unknown names', () => {
    expect(() => activation('swish' as 'relu')).toThrow("activation(swish): unknown activation 'swish'");
  });
});
