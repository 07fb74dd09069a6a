import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key, mean, square, sub } from '@axon/tensor';
import { dense } from '../layers/dense.js';
import { sequential } from '../layers/sequential.js';
import { meanSquaredError, sparseCategoricalCrossentropy } from '../losses/losses.js';
import { sparseCategoricalAccuracy } from '../metrics/metrics.js';
import { centering } from '../../test/centering.js';
import { labels, values64 } from '../../test/helpers.js';
import { applyLayer, applyLayerSplit, finishOutput, inference } from '../layers/layer.js';
import { evaluate, predict } from './evaluate.js';

const f64 = { dtype: 'float64' } as const;

describe('evaluate and predict', () => {
  const model = sequential([dense(6, { activation: 'relu' }), dense(3, { activation: 'softmax' })]);
  const { params } = model.init(key(0), [4], f64);
  const data = { x: values64(1, [23, 4]), y: labels(2, 23, 3) };
  const loss = sparseCategoricalCrossentropy();

  it('give the same result for any batch size as for one batch of everything', () => {
    const whole = model.apply(params, data.x);
    const expected = {
      loss: loss.value(data.y, whole).item(),
      accuracy: sparseCategoricalAccuracy(data.y, whole).item(),
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), (batchSize) => {
        const result = evaluate(model, loss, params, data, { batchSize });
        expect(result.loss).toBeCloseTo(expected.loss, 12);
        expect(result.accuracy).toBeCloseTo(expected.accuracy, 12);
        const predicted = predict(model, params, data.x, { batchSize });
        expect(predicted.shape).toEqual([23, 3]);
        predicted.values.forEach((v, i) => expect(v).toBeCloseTo(whole.values[i], 14));
      }),
      { numRuns: 15 },
    );
  });

  it('report only the loss for regression', () => {
    const regressor = dense(2);
    const weights = regressor.init(key(1), [4], f64).params;
    const targets = values64(3, [23, 2]);
    const result = evaluate(regressor, meanSquaredError(), weights, { x: data.x, y: targets }, { batchSize: 5 });
    expect(result).toEqual({
      loss: expect.closeTo(mean(square(sub(regressor.apply(weights, data.x), targets))).item(), 12),
    });
  });

  it('refuse empty or mismatched data', () => {
    expect(() => evaluate(model, loss, params, { x: data.x, y: labels(0, 5, 3) })).toThrow(
      'evaluate: x [23,4] and y [5]',
    );
    expect(() => predict(model, params, values64(0, [0, 4]))).toThrow('predict: needs at least one sample');
  });

  it('run a stateful model on the state they are given, and refuse one without it', () => {
    const stateful = sequential([dense(6, { activation: 'relu' }), centering(), dense(3, { activation: 'softmax' })]);
    const init = stateful.init(key(0), [4], f64);
    const state = stateful.apply(init.params, data.x, { training: true }, init.state).state;
    const whole = applyLayer(stateful, init.params, data.x, inference, state).y;
    expect(predict(stateful, init.params, data.x, { batchSize: 5, state }).values).toEqual(whole.values);
    expect(predict(stateful, init.params, data.x, { state: init.state }).values).not.toEqual(whole.values);
    const split = applyLayerSplit(stateful, init.params, data.x, inference, state).split;
    expect(evaluate(stateful, loss, init.params, data, { batchSize: 7, state }).loss).toBeCloseTo(
      mean(loss.perSampleFromSplit(data.y, split)).item(),
      12,
    );
    expect(finishOutput(split).values).toEqual(whole.values);
    expect(() => predict(stateful, init.params, data.x)).toThrow('has state');
  });
});
