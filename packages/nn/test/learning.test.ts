import { describe, expect, it } from 'vitest';
import { add, key, matmul, mul, normal, tensor, uniform, type Tensor } from '@axon/tensor';
import { adam, evaluate, fit, initTrainState, layers, losses, sgd } from '../src/index.js';

// Deterministic runs on small generated problems: fixed seeds, fixed thresholds.

/** Two interleaved spirals of `perClass` points each (one turn, radius 0 to 1), with labels 0 and 1. */
const spirals = (perClass: number, seed: number): { x: Tensor; y: Tensor } => {
  const noise = normal(key(seed), [2 * perClass, 2], { stddev: 0.05 }).values;
  const x = new Float32Array(4 * perClass);
  const y = new Int32Array(2 * perClass);
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < perClass; i++) {
      const r = (i + 1) / perClass;
      const angle = 2 * Math.PI * r + c * Math.PI;
      const n = c * perClass + i;
      x[2 * n] = r * Math.cos(angle) + noise[2 * n];
      x[2 * n + 1] = r * Math.sin(angle) + noise[2 * n + 1];
      y[n] = c;
    }
  }
  return { x: tensor(x, { shape: [2 * perClass, 2] }), y: tensor(y) };
};

describe('learning', () => {
  it('solves XOR', async () => {
    const model = layers.sequential([
      layers.dense(8, { activation: 'tanh' }),
      layers.dense(1, { activation: 'sigmoid' }),
    ]);
    const plan = { model, loss: losses.binaryCrossentropy(), optimizer: adam(0.05) };
    const data = {
      x: tensor([
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ]),
      y: tensor([[0], [1], [1], [0]]),
    };
    const { state } = await fit(plan, initTrainState(plan, key(0), [2]), data, { epochs: 300, batchSize: 4 });
    const result = evaluate(model, plan.loss, state.params, data);
    expect(result.accuracy).toBe(1);
    expect(result.loss).toBeLessThan(0.05);
  });

  it('separates two interleaved spirals', async () => {
    const data = spirals(100, 1);
    const model = layers.sequential([
      layers.dense(32, { activation: 'relu' }),
      layers.dense(32, { activation: 'relu' }),
      layers.dense(2, { activation: 'softmax' }),
    ]);
    const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(0.01) };
    const { state } = await fit(plan, initTrainState(plan, key(2), [2]), data, { epochs: 200, batchSize: 32 });
    const result = evaluate(model, plan.loss, state.params, data);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.loss).toBeLessThan(0.15);
  });

  it('fits a linear regression to the noise level', async () => {
    const x = uniform(key(3), [256, 3], { minval: -1, maxval: 1 });
    const w = tensor([[2], [-1], [0.5]]);
    const y = add(add(matmul(x, w), 0.3), mul(normal(key(4), [256, 1]), 0.1));
    const model = layers.dense(1);
    const plan = { model, loss: losses.meanSquaredError(), optimizer: sgd(0.1, { momentum: 0.9 }) };
    const { state, history } = await fit(
      plan,
      initTrainState(plan, key(5), [3]),
      { x, y },
      { epochs: 40, batchSize: 32 },
    );
    expect(history.at(-1)?.loss).toBeLessThan(0.012);
    const kernel = Array.from((state.params as { kernel: Tensor }).kernel.values);
    [2, -1, 0.5].forEach((v, i) => expect(Math.abs(kernel[i] - v)).toBeLessThan(0.05));
  });

  it('tells horizontal from vertical bars with a small batch-normalized convnet', async () => {
    // 6x6 images, one bar of ones (row or column at a random place) over faint noise.
    const n = 96;
    const noise = uniform(key(5), [n, 6, 6, 1], { maxval: 0.2 }).values;
    const x = Float32Array.from(noise);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      const at = (i * 7) % 6;
      for (let j = 0; j < 6; j++) x[i * 36 + (y[i] === 0 ? at * 6 + j : j * 6 + at)] = 1;
    }
    const data = { x: tensor(x, { shape: [n, 6, 6, 1] }), y: tensor(y) };
    const model = layers.sequential([
      layers.conv2d(4, 3, { padding: 'same' }),
      layers.batchNormalization(),
      layers.relu(),
      layers.maxPooling2d(2),
      layers.flatten(),
      layers.dense(2, { activation: 'softmax' }),
    ]);
    const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(0.02) };
    const { state } = await fit(plan, initTrainState(plan, key(3), [6, 6, 1]), data, { epochs: 15, batchSize: 16 });
    const result = evaluate(model, plan.loss, state.params, data, { state: state.modelState });
    expect(result.accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
