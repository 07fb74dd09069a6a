/**
 * `npm run bench` for @axon/backend-gpu, run once per gpu.js mode by
 * scripts/edge/each-mode.ts (AXON_GPU_MODE): float32 matmul GFLOP/s on the MNIST MLP's
 * shapes and 1024³, and one training step of that MLP, next to the reference backend.
 * GL timings end with a read-back of the last result, so queued GPU work is counted.
 */
import { loadavg } from 'node:os';
import * as T from '@axon/tensor';
import { matmulFlops, measure, mlpMatmulCases, row, show, type Timing } from '@axon/bench';
import { createGpuBackend, type GpuJsMode } from '../src/edge/index.js';

const mode = (process.env['AXON_GPU_MODE'] ?? 'webasm') as GpuJsMode;
const choice = createGpuBackend({ mode });
if (choice._tag === 'Left') {
  console.error(`@axon/backend-gpu bench: ${choice.left}`);
  process.exit(1);
}
const { backend, hardware, reason } = choice.right;

/** `count` calls of `op`, then a read of the last result: the time a device needs to finish them. */
const timed = (op: () => T.Tensor, count: number, budgetMs: number) => {
  const t = measure(
    () => {
      let last = op();
      for (let i = 1; i < count; i++) last = op();
      return last.values;
    },
    budgetMs,
    1,
  );
  return { medianMs: t.medianMs / count, bestMs: t.bestMs / count, runs: t.runs };
};

const cell = (t: Timing, rate: (ms: number) => number): string => show(t, rate, 2);

const table = (cells: readonly string[]): string => row(cells, [40, ...cells.slice(1).map(() => 16)]);

console.log(
  `@axon/backend-gpu, float32, gpu.js mode '${mode}'; load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
console.log(`  ${reason}`);
if (!hardware) {
  console.log(
    '  NOT MEASURED ON A GPU: no GPU was available, so these are gpu.js figures on the CPU (or a software rasterizer).',
  );
}
console.log('  Medians of repeated runs, best in brackets.\n');

console.log(table(['matmul GFLOP/s', `gpu.js ${mode}`, 'reference (js)']));
mlpMatmulCases.forEach((c, i) => {
  const gflops = (ms: number): number => matmulFlops(c) / ms / 1e6;
  const big = matmulFlops(c) > 2e8;
  const cells = [backend, T.jsBackend].map((b) => {
    const x = T.toBackend(T.uniform(T.key(i), c.a), b);
    const y = T.toBackend(T.uniform(T.key(i + 50), c.b), b);
    return cell(
      timed(() => T.matmul(x, y, c), big ? 1 : 10, big ? 3000 : 800),
      gflops,
    );
  });
  console.log(table([c.label, ...cells]));
});

/** One training step of the MNIST MLP (784-128-128-10, batch 128, Adam) on `b`. */
const trainingStep = (b: T.Backend): (() => T.Tensor) => {
  const keys = T.split(T.key(7), 4);
  const params = T.toBackend(
    {
      w1: T.normal(keys[0], [784, 128], { stddev: 0.05 }),
      b1: T.zeros([128]),
      w2: T.normal(keys[1], [128, 128], { stddev: 0.1 }),
      b2: T.zeros([128]),
      w3: T.normal(keys[2], [128, 10], { stddev: 0.1 }),
      b3: T.zeros([10]),
    },
    b,
  );
  const x = T.toBackend(T.uniform(keys[3], [128, 784]), b);
  const y = T.toBackend(T.randint(T.key(8), [128], 0, 10), b);
  const zeros = T.treeMap(params, T.zerosLike);
  const loss = (p: typeof params): T.Tensor =>
    T.mean(
      T.sparseSoftmaxCrossEntropy(T.dense(T.dense(T.dense(x, p.w1, p.b1, 'relu'), p.w2, p.b2, 'relu'), p.w3, p.b3), y),
    );
  const step = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: 10, correction2: 1000 };
  const moments = T.treeLeaves(zeros);
  // Returns the last updated parameter; reading it waits for every kernel queued before it.
  return () => {
    const { grads } = T.valueAndGrad(loss)(params);
    const updated = T.treeLeaves(params).map((p, i) => {
      const { direction } = T.adamStep(T.treeLeaves(grads)[i], moments[i], moments[i], step);
      return T.sub(p, T.mul(direction, 1e-3));
    });
    return updated[updated.length - 1];
  };
};

const steps = [backend, T.jsBackend].map((b) => timed(trainingStep(b), 1, 3000));
console.log(`\n${table(['MNIST MLP training step, ms', `gpu.js ${mode}`, 'reference (js)'])}`);
console.log(table(['784-128-128-10, batch 128, Adam', ...steps.map((t) => cell(t, (ms) => ms))]));
console.log(table(['  one epoch (469 steps), s, estimated', ...steps.map((t) => cell(t, (ms) => (ms * 469) / 1000))]));
