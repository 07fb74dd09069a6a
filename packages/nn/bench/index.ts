/**
 * `npm run bench` for @axon/nn, on synthetic MNIST-shaped data and the plain TypeScript
 * backend: one training step of the 784-128-128-10 MLP (batch 128, Adam), and `predict`
 * on 10,000 samples in batches of 128 against one batch of 10,000.
 */
import { jsBackend, key, randint, uniform, type Backend } from '@axon/tensor';
import { measure, row, show, type Timing } from '@axon/bench';
import { adam, initTrainState, layers, losses, makeTrainStep, predict, takeBatch } from '@axon/nn';

const backend: Backend = jsBackend;

const report = (label: string, t: Timing): void =>
  console.log(row([label, `${show(t, (ms) => ms, 2)} ms`, `${t.runs} runs`], [46, 22, 10]));

const model = layers.sequential([
  layers.dense(128, { activation: 'relu' }),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(10, { activation: 'softmax' }),
]);
const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
const data = { x: uniform(key(1), [10_000, 784], { backend }), y: randint(key(2), [10_000], 0, 10, backend) };

console.log(`@axon/nn on the '${backend.name}' backend, float32, 784-128-128-10 MLP\n`);

const step = makeTrainStep(plan);
let state = initTrainState(plan, key(0), [784], { backend });
const batch = takeBatch(data, undefined, 0, 128);
report(
  'train step, batch 128 (fwd + bwd + Adam)',
  measure(() => (state = step(state, batch).state), 3000, 2),
);
const order = Int32Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000);
report(
  'gather a shuffled batch of 128',
  measure(() => takeBatch(data, order, 256, 128), 500, 2),
);

// The two ways alternate, run by run, so a shared machine's load favours neither.
const params = state.params;
const elapsed = (run: () => unknown): number => {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
};
const ways = {
  batched: () => predict(model, params, data.x, { batchSize: 128 }),
  whole: () => predict(model, params, data.x, { batchSize: 10_000 }),
};
Object.values(ways).forEach((run) => run());
const runs = Array.from({ length: 9 }, () => ({ batched: elapsed(ways.batched), whole: elapsed(ways.whole) }));
const stats = (xs: number[]): Timing => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)], bestMs: sorted[0], runs: sorted.length };
};
const batched = stats(runs.map((r) => r.batched));
const whole = stats(runs.map((r) => r.whole));
report('predict 10,000 in batches of 128', batched);
report('predict 10,000 in one batch', whole);
console.log(`\nbatches of 128 cost ${(batched.medianMs / whole.medianMs).toFixed(2)}x one batch of 10,000`);
