import { describe, expect, it } from 'vitest';
import { foldIn, key, mean, type Tensor, type TensorTree } from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { centering, type CenteringParams, type CenteringState } from '../../test/centering.js';
import { f64, values64, weighted } from '../../test/helpers.js';
import { dense, type DenseParams } from './dense.js';
import { dropout } from './dropout.js';
import { applyLayer, applyLayerSplit, finishOutput, inference, initLayer, isStateful, noState } from './layer.js';
import { sequential, type StatefulSequential } from './sequential.js';
import { fromConfig } from './from-config.js';

describe('layer state', () => {
  const hidden = dense(4, { activation: 'tanh' });
  const output = dense(3, { activation: 'softmax' });
  const model: StatefulSequential = sequential([hidden, centering(), dropout(0.25), output]);
  const x = values64(1, [6, 3]);

  it('makes a sequential model stateful when a layer is, with one state entry per layer', () => {
    expect(isStateful(model)).toBe(true);
    expect(isStateful(sequential([hidden, output]))).toBe(false);
    const { params, state, outputShape } = model.init(key(5), [3], f64);
    expect(outputShape).toEqual([3]);
    expect(params[1]).toEqual(centering().init(foldIn(key(5), 1), [4], f64).params);
    expect(state).toEqual([{}, centering().init(key(0), [4], f64).state, {}, {}]);
  });

  it('threads the state through the layers in training, each layer seeing its own', () => {
    const { params, state } = model.init(key(5), [3], f64);
    const ctx = { training: true, key: key(9) };
    const h = hidden.apply(params[0] as DenseParams, x);
    const centred = centering().apply(params[1] as CenteringParams, h, ctx, state[1] as CenteringState);
    const byHand = output.apply(
      params[3] as DenseParams,
      dropout(0.25).apply({}, centred.y, { training: true, key: foldIn(key(9), 2) }),
    );
    const { y, state: next } = model.apply(params, x, ctx, state);
    expect(y.values).toEqual(byHand.values);
    expect(next).toEqual([{}, centred.state, {}, {}]);
    expect((next[1] as CenteringState).center.values).toEqual(mean(h, 0).values.map((v) => v * 0.5));
  });

  it('returns the very state it was given in inference, and uses it', () => {
    const { params, state } = model.init(key(5), [3], f64);
    const trained = model.apply(params, x, { training: true, key: key(1) }, state).state;
    const ran = model.apply(params, x, inference, trained);
    expect(ran.state).toBe(trained);
    expect(ran.y.values).not.toEqual(model.apply(params, x, inference, state).y.values);
  });

  it('splits before the last layer’s softmax, threading the state the same way', () => {
    const { params, state } = model.init(key(5), [3], f64);
    const ctx = { training: true, key: key(2) };
    const { split, state: next } = applyLayerSplit(model, params, x, ctx, state);
    const applied = model.apply(params, x, ctx, state);
    expect(split.activation).toBe('softmax');
    expect(finishOutput(split).values).toEqual(applied.y.values);
    expect(next).toEqual(applied.state);
  });

  it('runs stateless layers through the same calls, with the empty state', () => {
    const { params, state } = initLayer(hidden, key(0), [3], f64);
    expect(state).toBe(noState);
    const { y, state: after } = applyLayer(hidden, params, x, { training: true }, state);
    expect(y.values).toEqual(hidden.apply(params, x).values);
    expect(after).toBe(state);
  });

  it('keeps a model rebuilt from configs of stateless layers stateless', () => {
    const rebuilt = fromConfig(sequential([hidden, output, sequential([output])]).config);
    expect(isStateful(rebuilt)).toBe(false);
  });

  it('has gradients with respect to the params in training mode, the state held fixed', () => {
    const small = sequential([dense(3, { activation: 'tanh' }), centering(), dense(2)]);
    const { params, state } = small.init(key(2), [4], f64);
    const ctx = { training: true };
    assertGradients(
      (p: { params: readonly TensorTree[]; x: Tensor }) => weighted(small.apply(p.params, p.x, ctx, state).y, 1),
      {
        params,
        x: values64(8, [5, 4]),
      },
    );
  });

  it('refuses to run a stateful layer without its state, naming the layer', () => {
    const { params } = model.init(key(0), [3]);
    expect(() => applyLayer(model, params, values64(0, [1, 3]))).toThrow(
      'sequential(4 layers): has state: pass the state its init returned',
    );
    expect(() => model.apply(params, values64(0, [1, 3]), inference, [{}])).toThrow(
      'sequential(4 layers): expects states for 4 layers, got 1',
    );
  });
});
