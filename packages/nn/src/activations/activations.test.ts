import { describe, expect, it } from 'vitest';
import { gelu, relu, sigmoid, softmax, tanh, tensor } from '@axon/tensor';
import { activate, activationNames, foldableActivation, isActivationName, isFusedActivation } from './activations.js';

const x = tensor([[-2, -0.5, 0, 0.5, 3]], { dtype: 'float64' });

describe('activations', () => {
  it('applies each named function as the tensor op does', () => {
    expect(activate('relu', x).toArray()).toEqual(relu(x).toArray());
    expect(activate('sigmoid', x).toArray()).toEqual(sigmoid(x).toArray());
    expect(activate('tanh', x).toArray()).toEqual(tanh(x).toArray());
    expect(activate('softmax', x).toArray()).toEqual(softmax(x).toArray());
    expect(activate('gelu', x).toArray()).toEqual(gelu(x).toArray());
    expect(activate('linear', x)).toBe(x);
  });

  it('uses Keras 3 defaults for leakyRelu (0.2) and elu (alpha 1)', () => {
    expect(activate('leakyRelu', x).values[0]).toBeCloseTo(-0.4, 12);
    expect(activate('elu', x).values[0]).toBeCloseTo(Math.expm1(-2), 12);
    expect(activate('softplus', x).values[4]).toBeCloseTo(Math.log1p(Math.exp(3)), 12);
  });

  it('knows its names, which ones the dense kernel fuses and which a loss can fold in', () => {
    expect(activationNames.every(isActivationName)).toBe(true);
    expect(isActivationName('swish')).toBe(false);
    expect(activationNames.filter(isFusedActivation)).toEqual(['linear', 'relu', 'sigmoid', 'tanh']);
    expect(activationNames.map(foldableActivation).filter((a) => a !== undefined)).toEqual(['sigmoid', 'softmax']);
  });
});
