import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, key, matmul, mul, softmax, stopGradient, sub, tensor, type Tensor } from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { activate, activationNames, type ActivationName } from '../activations/activations.js';
import { constant, heNormal } from '../initializers/initializers.js';
import { f64, values64, weighted } from '../../test/helpers.js';
import { dense, type DenseParams } from './dense.js';
import { applySplit, LayerError, type Layer } from './layer.js';

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
    expect(params.kernel.toArray()).toEqual([
      [0.5, 0.5],
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
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

  /** A dense layer of random size and configuration, random params (bias included) and inputs with one or two leading axes. */
  const denseCaseArb = fc.record({
    seed: fc.nat(10_000),
    batch: fc.integer({ min: 1, max: 3 }),
    positions: fc.constantFrom([], [1], [2]),
    inputs: fc.integer({ min: 1, max: 4 }),
    units: fc.integer({ min: 1, max: 4 }),
    activation: fc.constantFrom(...activationNames),
    useBias: fc.boolean(),
  });
  type DenseCase = typeof denseCaseArb extends fc.Arbitrary<infer C> ? C : never;

  /** The property: gradients by kernel, bias and inputs against central differences. */
  const denseGradientProperty = (
    make: (units: number, options: { activation: ActivationName; useBias: boolean }) => Layer<DenseParams>,
  ) =>
    fc.property(denseCaseArb, ({ seed, batch, positions, inputs, units, activation, useBias }: DenseCase) => {
      const layer = make(units, { activation, useBias });
      const kernel = values64(seed, [inputs, units]);
      const params: DenseParams = useBias ? { kernel, bias: values64(seed + 1, [units], -0.5, 0.5) } : { kernel };
      const x = values64(seed + 2, [batch, ...positions, inputs], -1, 1);
      // Kinks of relu and leakyRelu at 0: check only when no pre-activation is near one.
      const z = add(matmul(x, kernel), 'bias' in params ? params.bias : 0);
      fc.pre(z.values.every((v) => Math.abs(v) > 1e-3));
      assertGradients(
        (p: { params: DenseParams; x: Tensor }) => weighted(layer.apply(p.params, p.x), seed),
        { params, x },
        { rtol: 1e-5, atol: 1e-7 },
      );
    });

  it('has gradients with respect to inputs and params, over random sizes, activations and leading axes', () => {
    fc.assert(denseGradientProperty(dense), { numRuns: 40 });
  });

  it('catches a bias gradient that is wrong only for inputs with more than one leading axis (a deliberately broken copy)', () => {
    // Right values, but when inputs have a positions axis its bias gradient counts each
    // sample's first position twice: invisible to [batch, features] inputs.
    const firstPositionBias = (
      units: number,
      options: { activation: ActivationName; useBias: boolean },
    ): Layer<DenseParams> => {
      const correct = dense(units, options);
      return {
        ...correct,
        apply: (params, x) => {
          const y = correct.apply(params, x);
          if (!('bias' in params) || x.rank < 3) return y;
          const firstPosition = tensor(
            Float64Array.from({ length: x.shape[1] }, (_, i) => (i === 0 ? 1 : 0)),
            { shape: [x.shape[1], 1] },
          );
          const wrong = mul(params.bias, firstPosition);
          return add(y, sub(wrong, stopGradient(wrong)));
        },
      };
    };
    expect(() =>
      fc.assert(denseGradientProperty(firstPositionBias), { numRuns: 40, includeErrorInReport: true }),
    ).toThrow(/gradient mismatch/);
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
    expect(() => layer.apply(params, values64(0, [2, 5]))).toThrow(
      'dense(3, relu): expects inputs [batch,4] (or more leading axes), got [2,5]',
    );
    expect(() => layer.apply(params, values64(0, [2, 4]))).toThrow(
      'dense(3, relu): expects float32 inputs like its params, got float64',
    );
    expect(() => dense(0)).toThrow('units must be a positive integer');
  });
});
