import { describe, expect, it } from 'vitest';
import {
  foldIn,
  grad,
  jsBackend,
  key,
  sum,
  toBackend,
  uniform,
  type Backend,
  type Tensor,
  type TensorTree,
} from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { f64, values64, weighted } from '../../test/helpers.js';
import { activation } from './activation.js';
import { conv2d } from './conv2d.js';
import { dense, type DenseParams } from './dense.js';
import { dropout } from './dropout.js';
import { applySplit, finishOutput, type Layer } from './layer.js';
import { maxPooling2d } from './pooling.js';
import { flatten } from './reshape.js';
import { sequential } from './sequential.js';

describe('sequential', () => {
  const hidden = dense(4, { activation: 'tanh' });
  const output = dense(3, { activation: 'softmax' });
  const model = sequential([flatten(), hidden, dropout(0.25), output]);

  it('threads shapes through init, one params entry per layer, each layer from its own key', () => {
    const { params, outputShape } = model.init(key(5), [2, 3]);
    expect(outputShape).toEqual([3]);
    expect(params).toHaveLength(4);
    expect(params[0]).toEqual({});
    expect(params[1]).toEqual(hidden.init(foldIn(key(5), 1), [6]).params);
    expect(params[3]).toEqual(output.init(foldIn(key(5), 3), [4]).params);
  });

  it('applies its layers in order, each with its own key', () => {
    const { params } = model.init(key(5), [2, 3], f64);
    const x = values64(1, [5, 2, 3]);
    const ctx = { training: true, key: key(9) };
    const byHand = output.apply(
      params[3] as DenseParams,
      dropout(0.25).apply({}, hidden.apply(params[1] as DenseParams, flatten().apply({}, x)), {
        training: true,
        key: foldIn(key(9), 2),
      }),
    );
    expect(model.apply(params, x, ctx).values).toEqual(byHand.values);
  });

  it('splits before the last layer’s softmax', () => {
    const { params } = model.init(key(5), [2, 3], f64);
    const x = values64(1, [5, 2, 3]);
    const split = applySplit(model, params, x);
    expect(split.activation).toBe('softmax');
    expect(finishOutput(split).values).toEqual(model.apply(params, x).values);
    expect(applySplit(sequential([output, activation('relu')]), [params[3], {}], values64(2, [1, 4])).activation).toBe(
      'none',
    );
  });

  it('nests: a sequential model is a layer', () => {
    const inner = sequential([hidden, output]);
    const outer = sequential([flatten(), inner]);
    const { params, outputShape } = outer.init(key(1), [2, 3], f64);
    expect(outputShape).toEqual([3]);
    expect((params[1] as readonly TensorTree[]).length).toBe(2);
    expect(applySplit(outer, params, values64(3, [2, 2, 3], -1, 1)).activation).toBe('softmax');
  });

  it('has gradients with respect to all params and the input, dropout included', () => {
    const small = sequential([dense(3, { activation: 'tanh' }), dropout(0.3), dense(2, { activation: 'sigmoid' })]);
    const { params } = small.init(key(2), [4], f64);
    const ctx = { training: true, key: key(4) };
    assertGradients((p: { params: readonly TensorTree[]; x: Tensor }) => weighted(small.apply(p.params, p.x, ctx), 1), {
      params,
      x: values64(8, [3, 4]),
    });
  });

  it('runs a convolution and the max pooling after it as one op, whose bits are the two layers’', () => {
    // The reference backend with a fused kernel that declines: it counts the calls, and the op then runs the two ops.
    let calls = 0;
    const counting: Backend = { ...jsBackend, fusedConv2dMaxPool: () => void calls++ };
    const stack: Layer[] = [
      conv2d(3, 2, { activation: 'relu' }),
      maxPooling2d(2, { strides: 1, padding: 'same' }),
      conv2d(2, 2, { activation: 'sigmoid' }),
      maxPooling2d(),
      flatten(),
    ];
    const convnet = sequential(stack);
    const { params } = convnet.init(key(3), [6, 7, 2], { backend: counting });
    const x = toBackend(uniform(key(4), [2, 6, 7, 2]), counting);
    const y = convnet.apply(params, x);
    // Only the relu convolution fuses; the sigmoid one runs its layers one by one.
    expect(calls).toBe(1);
    const oneByOne = stack.reduce<Tensor>((h, layer, i) => layer.apply(params[i], h), x);
    expect(y.values).toEqual(oneByOne.values);
    // Under grad the two ops run and record their gradients: the fused kernel is not asked.
    grad((p: readonly TensorTree[]) => sum(convnet.apply(p, x)))(params);
    expect(calls).toBe(1);
  });

  it('refuses params for a different number of layers', () => {
    const { params } = model.init(key(0), [6]);
    expect(() => model.apply(params.slice(1), values64(0, [1, 6]))).toThrow(
      'sequential(4 layers): expects params for 4 layers, got 3',
    );
  });
});
