import { describe, expect, it } from 'vitest';
import { add, key, normal, tensor, treeLeaves, type PRNGKey, type Tensor } from '@axon/tensor';
import { dense } from '../layers/dense.js';
import { sequential } from '../layers/sequential.js';
import { sparseCategoricalCrossentropy } from '../losses/losses.js';
import { sgd } from '../optim/alias.js';
import { scale } from '../optim/transform.js';
import { centering } from '../../test/centering.js';
import { labels, values64 } from '../../test/helpers.js';
import { evaluate } from './evaluate.js';
import { fit, type BatchEndEvent, type EpochEndEvent } from './fit.js';
import { initTrainState, inputsKey, type TrainState } from './state.js';
import { makeTrainStep } from './train-step.js';

const f64 = { dtype: 'float64' } as const;
const model = sequential([dense(8, { activation: 'tanh' }), dense(3, { activation: 'softmax' })]);
const plan = { model, loss: sparseCategoricalCrossentropy(), optimizer: sgd(0.5) };
const data = { x: values64(1, [10, 4]), y: labels(2, 10, 3) };
const start = initTrainState(plan, key(0), [4], f64);
const leaves = (state: TrainState): ArrayLike<number>[] => treeLeaves(state.params).map((t) => t.values);

describe('fit', () => {
  it('reports every batch and epoch, in order, with running means and a history', async () => {
    const calls: string[] = [];
    const batches: BatchEndEvent[] = [];
    const epochs: EpochEndEvent[] = [];
    let clock = 0;
    const result = await fit(plan, start, data, {
      epochs: 2,
      batchSize: 4,
      now: () => (clock += 250),
      callbacks: [
        {
          onEpochBegin: (e) => void calls.push(`begin ${e.epoch}/${e.epochs} (${e.batches} batches)`),
          onBatchEnd: (e) => void (calls.push(`batch ${e.epoch}.${e.batch}`), batches.push(e)),
          onEpochEnd: (e) => void (calls.push(`end ${e.epoch}`), epochs.push(e as EpochEndEvent)),
        },
      ],
    });
    expect(calls).toEqual([
      'begin 1/2 (3 batches)',
      'batch 1.1',
      'batch 1.2',
      'batch 1.3',
      'end 1',
      'begin 2/2 (3 batches)',
      'batch 2.1',
      'batch 2.2',
      'batch 2.3',
      'end 2',
    ]);
    expect(batches.map((e) => [e.step, e.samples])).toEqual([
      [1, 4],
      [2, 8],
      [3, 10],
      [4, 4],
      [5, 8],
      [6, 10],
    ]);
    const [a, b, c] = batches;
    expect(c.meanLoss).toBeCloseTo((4 * a.loss + 4 * b.loss + 2 * c.loss) / 10, 12);
    expect(c.meanAccuracy).toBeCloseTo(
      (4 * (a.accuracy ?? 0) + 4 * (b.accuracy ?? 0) + 2 * (c.accuracy ?? 0)) / 10,
      12,
    );
    expect(result.stopReason).toBe('completed');
    expect(result.state.step).toBe(6);
    expect(result.history).toHaveLength(2);
    expect(result.history[0].loss).toBe(c.meanLoss);
    expect(result.history[0].accuracy).toBe(c.meanAccuracy);
    expect(result.history[0].seconds).toBeGreaterThan(0);
    expect(epochs[1].state).toBe(result.state);
    expect(result.history[1].loss).toBeLessThan(result.history[0].loss);
  });

  it('is a pure function of its inputs; shuffling changes the order of batches', async () => {
    const run = (shuffle: boolean) => fit(plan, start, data, { epochs: 2, batchSize: 3, shuffle });
    const [first, second, unshuffled] = await Promise.all([run(true), run(true), run(false)]);
    expect(leaves(first.state)).toEqual(leaves(second.state));
    expect(first.history).toEqual(second.history);
    expect(leaves(first.state)).not.toEqual(leaves(unshuffled.state));
  });

  it('transforms the inputs of every training batch with a key from the state, and nothing else', async () => {
    const seen: { key: PRNGKey; rows: number }[] = [];
    const jitter = (k: PRNGKey, x: Tensor): Tensor => {
      seen.push({ key: k, rows: x.shape[0] });
      return add(x, normal(k, x.shape, { dtype: 'float64', stddev: 0.1 }));
    };
    const validationData = { x: values64(3, [5, 4]), y: labels(4, 5, 3) };
    const run = () =>
      fit(plan, start, data, { epochs: 2, batchSize: 4, shuffle: false, transformInputs: jitter, validationData });
    const result = await run();
    expect(seen.map((s) => s.rows)).toEqual([4, 4, 2, 4, 4, 2]);
    expect(new Set(seen.map((s) => s.key.join(','))).size).toBe(6);

    // The same as stepping by hand over transformed batches, each keyed by the state it starts from.
    const step = makeTrainStep(plan);
    let state = start;
    for (let epoch = 0; epoch < 2; epoch++) {
      for (const [from, count] of [
        [0, 4],
        [4, 4],
        [8, 2],
      ]) {
        const x = tensor(data.x.values.slice(from * 4, (from + count) * 4), { shape: [count, 4], dtype: 'float64' });
        const y = tensor(data.y.values.slice(from, from + count), { dtype: 'int32' });
        expect(seen.shift()?.key).toEqual(inputsKey(state));
        state = step(state, {
          x: add(x, normal(inputsKey(state), x.shape, { dtype: 'float64', stddev: 0.1 })),
          y,
        }).state;
      }
    }
    expect(leaves(result.state)).toEqual(leaves(state));
    expect(result.history[1].valLoss).toBeCloseTo(
      evaluate(model, plan.loss, result.state.params, validationData).loss,
      12,
    );
    expect(leaves((await run()).state)).toEqual(leaves(result.state));
    expect(leaves(result.state)).not.toEqual(
      leaves((await fit(plan, start, data, { epochs: 2, batchSize: 4, shuffle: false })).state),
    );
  });

  it('validates on a held-out split or given data after each epoch', async () => {
    const { state, history } = await fit(plan, start, data, { epochs: 1, batchSize: 4, validationSplit: 0.3 });
    const expected = evaluate(model, plan.loss, state.params, {
      x: tensor(data.x.values.slice(28), { shape: [3, 4] }),
      y: tensor(data.y.values.slice(7)),
    });
    expect(history[0].valLoss).toBeCloseTo(expected.loss, 12);
    expect(history[0].valAccuracy).toBeCloseTo(expected.accuracy ?? NaN, 12);
    expect(state.step).toBe(2);
    const given = await fit(plan, start, data, { epochs: 1, validationData: data });
    expect(given.history[0].valLoss).toBeCloseTo(evaluate(model, plan.loss, given.state.params, data).loss, 12);
    await expect(fit(plan, start, data, { epochs: 1, validationSplit: 0.3, validationData: data })).rejects.toThrow(
      'not both',
    );
  });

  it('stops after the current batch when a callback or shouldStop asks, awaiting async callbacks', async () => {
    const seen: number[] = [];
    const byCallback = await fit(plan, start, data, {
      epochs: 3,
      batchSize: 2,
      callbacks: [
        { onBatchEnd: async (e) => (await Promise.resolve(), seen.push(e.step), e.step === 2 ? 'stop' : undefined) },
      ],
    });
    expect(seen).toEqual([1, 2]);
    expect(byCallback).toMatchObject({ stopReason: 'callback', history: [] });
    expect(byCallback.state.step).toBe(2);
    let batchesRun = 0;
    const bySignal = await fit(plan, start, data, {
      epochs: 3,
      batchSize: 2,
      callbacks: [{ onBatchEnd: () => void batchesRun++ }],
      shouldStop: () => batchesRun >= 7,
    });
    expect(bySignal.stopReason).toBe('shouldStop');
    expect(bySignal.state.step).toBe(7);
    expect(bySignal.history).toHaveLength(1);
  });

  it('stops early when the monitored metric stops improving, restoring the best state', async () => {
    // Gradient ascent makes the loss worse every epoch.
    const ascent = { ...plan, optimizer: scale(0.5) };
    const epochStates: number[] = [];
    const result = await fit(ascent, start, data, {
      epochs: 10,
      batchSize: 5,
      earlyStopping: { monitor: 'loss', patience: 2, restoreBest: true },
      callbacks: [{ onEpochEnd: (e) => void epochStates.push(e.state.step) }],
    });
    expect(result.stopReason).toBe('earlyStopping');
    expect(result.history).toHaveLength(3);
    expect(result.state.step).toBe(epochStates[0]);
  });

  it('ends with an error naming the epoch and step when the loss is not finite, keeping the last good state', async () => {
    const poisoned = {
      x: tensor(
        Float64Array.from(data.x.values, (v, i) => (i === 4 * 7 ? NaN : v)),
        { shape: [10, 4] },
      ),
      y: data.y,
    };
    const result = await fit(plan, start, poisoned, { epochs: 2, batchSize: 3, shuffle: false });
    expect(result.stopReason).toBe('nonFiniteLoss');
    expect(result.error?.message).toBe(
      'the loss became NaN at epoch 1, batch 3 (step 2); training stopped and the state before that step was kept',
    );
    expect(result.error).toMatchObject({ epoch: 1, batch: 3, step: 2 });
    expect(result.state.step).toBe(2);
    expect(leaves(result.state).every((values) => Array.from(values).every(Number.isFinite))).toBe(true);
  });

  it('numbers epochs from initialEpoch when resuming', async () => {
    const { history } = await fit(plan, start, data, { epochs: 3, initialEpoch: 1 });
    expect(history.map((h) => h.epoch)).toEqual([2, 3]);
  });

  it('threads the model state from step to step and validates with it', async () => {
    const stateful = {
      ...plan,
      model: sequential([dense(8, { activation: 'tanh' }), centering(), dense(3, { activation: 'softmax' })]),
    };
    const initial = initTrainState(stateful, key(0), [4], f64);
    const { state, history } = await fit(stateful, initial, data, {
      epochs: 2,
      batchSize: 4,
      shuffle: false,
      validationData: data,
    });
    const step = makeTrainStep(stateful);
    const batches = [
      [0, 4],
      [4, 4],
      [8, 2],
    ].map(([from, count]) => ({
      x: tensor(data.x.values.slice(4 * from, 4 * (from + count)), { shape: [count, 4] }),
      y: tensor(data.y.values.slice(from, from + count)),
    }));
    const byHand = [...batches, ...batches].reduce((s, batch) => step(s, batch).state, initial);
    expect(treeLeaves(state.modelState).map((t) => t.values)).toEqual(
      treeLeaves(byHand.modelState).map((t) => t.values),
    );
    expect(treeLeaves(state.modelState).map((t) => t.values)).not.toEqual(
      treeLeaves(initial.modelState).map((t) => t.values),
    );
    expect(history[1].valLoss).toBeCloseTo(
      evaluate(stateful.model, plan.loss, state.params, data, { state: state.modelState }).loss,
      12,
    );
  });
});
