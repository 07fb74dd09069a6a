import { describe, expect, it } from 'vitest';
import {
  key,
  mean,
  mul,
  square,
  sub,
  tensor,
  treeLeaves,
  treeZipWith,
  valueAndGrad,
  type Tensor,
  type TensorTree,
} from '@axon/tensor';
import { dense } from '../layers/dense.js';
import { batchNormalization } from '../layers/batch-normalization.js';
import { dropout } from '../layers/dropout.js';
import { sequential } from '../layers/sequential.js';
import { meanSquaredError, sparseCategoricalCrossentropy } from '../losses/losses.js';
import { sparseCategoricalAccuracy } from '../metrics/metrics.js';
import { sgd } from '../optim/alias.js';
import { centering, type CenteringState } from '../../test/centering.js';
import { labels, values64 } from '../../test/helpers.js';
import { applyLayer } from '../layers/layer.js';
import { initTrainState } from './state.js';
import { makeTrainStep } from './train-step.js';

const f64 = { dtype: 'float64' } as const;

describe('makeTrainStep', () => {
  const model = sequential([dense(5, { activation: 'tanh' }), dense(3, { activation: 'softmax' })]);
  const loss = sparseCategoricalCrossentropy();
  const plan = { model, loss, optimizer: sgd(0.1) };
  const batch = { x: values64(1, [8, 4]), y: labels(2, 8, 3) };

  it('takes one gradient step on the batch loss and reports loss and accuracy before it', () => {
    const state = initTrainState(plan, key(0), [4], f64);
    const { state: next, loss: value, metrics } = makeTrainStep(plan)(state, batch);
    const objective = (params: readonly TensorTree[]) => loss.value(batch.y, model.apply(params, batch.x));
    const { value: expectedLoss, grads } = valueAndGrad(objective)(state.params);
    expect(value).toBeCloseTo(expectedLoss.item(), 12);
    expect(metrics.accuracy).toBe(sparseCategoricalAccuracy(batch.y, model.apply(state.params, batch.x)).item());
    const expected = treeZipWith((p, g) => sub(p, mul(g, 0.1)), state.params, grads);
    treeLeaves(next.params).forEach((p, i) =>
      p.values.forEach((v, j) => expect(v).toBeCloseTo(treeLeaves(expected)[i].values[j], 12)),
    );
    expect(next.step).toBe(1);
    expect(next.key).toBe(state.key);
    expect(state.step).toBe(0);
  });

  it('computes a softmax model’s cross-entropy from its logits, exact where probabilities round to 0', () => {
    const confident = { model: dense(2, { activation: 'softmax', useBias: false }), loss, optimizer: sgd(0.1) };
    const state = {
      ...initTrainState(confident, key(0), [2]),
      params: {
        kernel: tensor([
          [100, -100],
          [0, 0],
        ]),
      },
    };
    const result = makeTrainStep(confident)(state, { x: tensor([[2, 0]]), y: tensor([1], { dtype: 'int32' }) });
    // Logits [200, -200]: softmax rounds to [1, 0], whose clipped log would cap the loss at 16.1.
    expect(result.loss).toBeCloseTo(400, 3);
    expect(result.metrics.accuracy).toBe(0);
    expect(treeLeaves(result.state.params).every((p) => p.values.every(Number.isFinite))).toBe(true);
  });

  it('keys dropout by the step: the same state gives the same result, another step another mask', () => {
    const noisy = {
      model: sequential([dense(16, { activation: 'relu' }), dropout(0.5), dense(3)]),
      loss: sparseCategoricalCrossentropy({ fromLogits: true }),
      optimizer: sgd(0.1),
    };
    const state = initTrainState(noisy, key(1), [4], f64);
    const step = makeTrainStep(noisy);
    expect(step(state, batch).loss).toBe(step(state, batch).loss);
    expect(step({ ...state, step: 1 }, batch).loss).not.toBe(step(state, batch).loss);
  });

  it('reports no accuracy for regression losses', () => {
    const regression = { model: dense(1), loss: meanSquaredError(), optimizer: sgd(0.1) };
    const state = initTrainState(regression, key(0), [4], f64);
    const targets = values64(3, [8, 1]);
    const result = makeTrainStep(regression)(state, { x: batch.x, y: targets });
    expect(result.metrics).toEqual({});
    expect(result.loss).toBeCloseTo(
      mean(square(sub(regression.model.apply(state.params, batch.x), targets))).item(),
      12,
    );
  });

  it('threads the model state: the forward pass’s new state is kept, the gradient taken with the old one held fixed', () => {
    const stateful = {
      model: sequential([dense(5, { activation: 'tanh' }), centering(), dense(3, { activation: 'softmax' })]),
      loss,
      optimizer: sgd(0.1),
    };
    const state = initTrainState(stateful, key(3), [4], f64);
    const ctx = { training: true, key: key(0) };
    const { state: next, loss: value } = makeTrainStep(stateful)(state, batch);
    const forward = applyLayer(stateful.model, state.params, batch.x, ctx, state.modelState);
    expect(treeLeaves(next.modelState).map((t) => t.values)).toEqual(treeLeaves(forward.state).map((t) => t.values));
    expect(((next.modelState as readonly TensorTree[])[1] as CenteringState).center.values).not.toEqual(
      ((state.modelState as readonly TensorTree[])[1] as CenteringState).center.values,
    );
    const objective = (params: readonly TensorTree[]) =>
      loss.value(batch.y, applyLayer(stateful.model, params, batch.x, ctx, state.modelState).y);
    const { value: expectedLoss, grads } = valueAndGrad(objective)(state.params);
    expect(value).toBeCloseTo(expectedLoss.item(), 12);
    const expected = treeLeaves(treeZipWith((p, g) => sub(p, mul(g, 0.1)), state.params, grads));
    treeLeaves(next.params).forEach((p, i) =>
      p.values.forEach((v, j) => expect(v).toBeCloseTo(expected[i].values[j], 12)),
    );
    expect(treeLeaves(next.modelState).every((t) => t.node === undefined)).toBe(true);
  });

  it('moves batch normalization’s statistics by the momentum formula, outside the optimizer', () => {
    const normalized = {
      model: sequential([batchNormalization({ momentum: 0.9 }), dense(3, { activation: 'softmax' })]),
      loss,
      optimizer: sgd(0.1),
    };
    const state = initTrainState(normalized, key(4), [4], f64);
    const { state: next } = makeTrainStep(normalized)(state, batch);
    const [bn] = next.modelState as readonly { movingMean: Tensor; movingVariance: Tensor }[];
    for (let c = 0; c < 4; c++) {
      const column = Array.from({ length: 8 }, (_, r) => batch.x.values[r * 4 + c]);
      const m = column.reduce((a, b) => a + b, 0) / 8;
      const v = column.reduce((a, b) => a + (b - m) ** 2, 0) / 8;
      expect(bn.movingMean.values[c]).toBeCloseTo(0 * 0.9 + m * 0.1, 14);
      expect(bn.movingVariance.values[c]).toBeCloseTo(1 * 0.9 + v * 0.1, 14);
    }
    expect(treeLeaves(next.optState as TensorTree).length).toBe(0);
    expect((next.params as readonly TensorTree[])[0]).toHaveProperty('gamma');
  });
});
