import { describe, expect, it } from 'vitest';
import { key, randint, treeLeaves, uniform } from '@axon/tensor';
import { adam, fit, initTrainState, layers, losses } from '../src/index.js';

describe('determinism', () => {
  const model = layers.sequential([
    layers.dense(16, { activation: 'relu' }),
    layers.dropout(0.2),
    layers.dense(4, { activation: 'softmax' }),
  ]);
  const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-2) };
  const data = { x: uniform(key(10), [64, 8]), y: randint(key(11), [64], 0, 4) };
  const train = async (seed: number): Promise<Float32Array[]> => {
    const { state } = await fit(plan, initTrainState(plan, key(seed), [8]), data, { epochs: 3, batchSize: 16 });
    expect(state.step).toBe(12);
    return treeLeaves(state.params).map((p) => p.values as Float32Array);
  };

  it('the same seed gives bit-identical params after N steps (init, shuffles and dropout included)', async () => {
    const [a, b, other] = [await train(42), await train(42), await train(43)];
    a.forEach((values, i) => expect(Buffer.from(values.buffer).equals(Buffer.from(b[i].buffer))).toBe(true));
    expect(a.some((values, i) => !Buffer.from(values.buffer).equals(Buffer.from(other[i].buffer)))).toBe(true);
  });
});
