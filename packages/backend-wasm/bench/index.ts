/**
 * `npm run bench` for @axon/backend-wasm:
 * - float32 GFLOP/s of each product of the MNIST MLP's training step (and 1024³), on 1
 *   and 2 threads with fused multiply-adds where the host has them, and on 1 thread
 *   without, through the kernels on resident operands;
 * - the fixed cost of a kernel call posted as a parallel job;
 * - the MLP's training step (batch 128, Adam, the fused optimizer step): ms per step
 *   on 1 and 2 threads, copies between host arrays and wasm memory per step, and each
 *   thread's busy share;
 * - the same step on MNIST's images and on dense random inputs, with and without
 *   skipping the zeros of products' left operands (`bench/zero-skipping.ts` times the
 *   products themselves);
 * - Adam's step for the MLP's parameters, fused into one job and op by op;
 * - the MNIST convnet's convolutions and pooling, and its training step (`bench/conv.ts`).
 * Medians of repeated runs, best in brackets; the machine's load is printed because
 * other work on it skews every number.
 */
import { loadavg } from 'node:os';
import * as T from '@axon/tensor';
import { adam, initTrainState, layers, losses, makeTrainStep, optimizerStep, takeBatch } from '@axon/nn';
import { createWasmBackend, type WasmBackend } from '../src/edge/index.js';
import { startWasmRuntime } from '../src/edge/runtime.js';
import { PARALLEL_MATMUL_FLOPS } from '../src/kernels/matmul.js';
import type { WasmRuntime } from '../src/runtime/runtime.js';
import { matmulFlops, measure, mlpMatmulCases, row, show, type MatmulCase, type Timing } from '@axon/bench';
import { benchConvnet } from './conv.js';
import { benchZeroSkipping, mnistTestImages } from './zero-skipping.js';

const load = (): string =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
console.log(`@axon/backend-wasm, float32; load average ${load()}\n`);

/** The kernel configurations the products are timed on. */
const configurations: { label: string; threads: number; fma: boolean }[] = [
  { label: '1 thread', threads: 1, fma: true },
  { label: '2 threads', threads: 2, fma: true },
  { label: '1 thread, no FMA', threads: 1, fma: false },
];
const runtimes: WasmRuntime[] = [];
for (const { threads, fma } of configurations) runtimes.push(await startWasmRuntime({ threads, fma }));
console.log(`fused multiply-adds: ${runtimes[0].fma ? 'yes (relaxed SIMD)' : 'no (the host lacks relaxed SIMD)'}`);

/** `C = op(A)·op(B)` on resident operands, timed on the kernel alone. */
const timeProduct = (runtime: WasmRuntime, c: MatmulCase, seed: number): Timing => {
  const { memory, heap, kernels, threads } = runtime;
  const [m, k] = c.transposeA ? [c.a[1], c.a[0]] : c.a;
  const n = c.transposeB ? c.b[0] : c.b[1];
  const a = memory.allocate('float32', m * k);
  const b = memory.allocate('float32', k * n);
  memory.viewOf(a).set(T.uniform(T.key(seed), c.a).values);
  memory.viewOf(b).set(T.uniform(T.key(seed + 50), c.b).values);
  const out = memory.allocate('float32', m * n);
  const panels = heap.scratch(kernels.packedBytes(1, m, k, n, 0, 0));
  const big = matmulFlops(c) > 2e8;
  // As the backend posts them: in parallel when there are threads and the product is not tiny.
  const parallel = threads > 1 && matmulFlops(c) >= PARALLEL_MATMUL_FLOPS ? 1 : 0;
  const run = () =>
    kernels.matmul(
      parallel,
      a.address,
      b.address,
      out.address,
      1,
      m,
      k,
      n,
      c.transposeA ? 1 : 0,
      c.transposeB ? 1 : 0,
      0,
      0,
      0,
      0,
      panels,
    );
  const timing = measure(run, big ? 3000 : 1000, big ? 2 : 20);
  [a, b, out].forEach((s) => memory.release(s));
  return timing;
};

console.log(`\n${row(['matmul GFLOP/s, median [best]', ...configurations.map((c) => c.label)], [40, 18])}`);
mlpMatmulCases.forEach((c, i) => {
  const flops = matmulFlops(c);
  console.log(
    row([c.label, ...runtimes.map((runtime) => show(timeProduct(runtime, c, i), (ms) => flops / ms / 1e6))], [40, 18]),
  );
});

const tiny = runtimes.slice(0, 2).map(({ memory, heap, kernels }) => {
  const one = memory.allocate('float32', 16).address;
  const panels = heap.scratch(kernels.packedBytes(1, 1, 1, 1, 0, 0));
  return measure(() => kernels.matmul(1, one, one, one, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, panels), 300);
});
console.log(
  row(['[1,1]·[1,1] posted as a parallel job, µs', ...tiny.map((t) => show(t, (ms) => ms * 1000, 2))], [40, 18]),
);
console.log('  (the fixed cost of a call into wasm, plus, with workers, of posting a job and gathering them)');
await Promise.all(runtimes.map((r) => r.dispose()));

// The MLP's training step, as fit runs it: a batch gathered from a host data set, the
// step in its release scope, the previous state and the batch freed.
const model = layers.sequential([
  layers.dense(128, { activation: 'relu' }),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(10, { activation: 'softmax' }),
]);
const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
const samples = 4096;
// MNIST's images (about 81% zero pixels: the first layer's products skip them) and
// dense random inputs (nothing to skip there: the dense kernel's speed).
const dataSets = [
  { label: 'MNIST test images', x: T.tensor(mnistTestImages().slice(0, samples * 784), { shape: [samples, 784] }) },
  { label: 'dense random inputs', x: T.uniform(T.key(1), [samples, 784], { minval: 0.01, maxval: 1 }) },
].map((d) => ({ ...d, y: T.randint(T.key(2), [samples], 0, 10) }));
const order = T.permutationValues(T.key(3), samples);

const stepFigures = (backend: WasmBackend, data: (typeof dataSets)[number]) => {
  const step = makeTrainStep(plan);
  const onBackend = { x: T.toBackend(data.x, backend), y: T.toBackend(data.y, backend) };
  let state = initTrainState(plan, T.key(0), [784], { backend });
  let b = 0;
  const run = (): void => {
    const batch = takeBatch(onBackend, order, (b++ % (samples / 128)) * 128, 128);
    const next = step(state, batch).state;
    T.releaseTensors(batch);
    T.releaseTensors(state, next);
    state = next;
  };
  for (let i = 0; i < 20; i++) run();
  const before = backend.usage();
  const start = performance.now();
  const timing = measure(run, 3000, 0);
  const seconds = (performance.now() - start) / 1000;
  const after = backend.usage();
  const per = (field: keyof typeof after.transfers): number =>
    (after.transfers[field] - before.transfers[field]) / timing.runs;
  const products = (field: keyof typeof after.products): string =>
    ((after.products[field] - before.products[field]) / timing.runs).toFixed(0);
  return {
    timing,
    copies: `${per('uploads').toFixed(1)} in (${(per('uploadBytes') / 1024).toFixed(1)} KiB), ${per('downloads').toFixed(1)} out (${(per('downloadBytes') / 1024).toFixed(1)} KiB)`,
    products: `${products('skippingZeros')} of ${Number(products('skippingZeros')) + Number(products('dense'))}`,
    busy: after.busySeconds
      .map((busy, i) => `${(((busy - before.busySeconds[i]) / seconds) * 100).toFixed(0)}%`)
      .join(', '),
  };
};

const backends = [await createWasmBackend({ threads: 1 }), await createWasmBackend({ threads: 2 })];
const denseBackends = [
  await createWasmBackend({ threads: 1, skipZeros: false }),
  await createWasmBackend({ threads: 2, skipZeros: false }),
];
const stepWidths = [46, 14, 16, 34, 12, 20];
console.log(
  `\n${row(['MLP training step (batch 128, Adam)', 'ms/step', 's per 469 steps', 'copies per step', 'zero-skip', 'busy (main, workers)'], stepWidths)}`,
);
dataSets.forEach((data) => {
  [...backends, ...denseBackends].forEach((backend) => {
    const { timing, copies, products, busy } = stepFigures(backend, data);
    const label = `${data.label}, ${backend.threads} thread(s)${backend.skipZeros ? '' : ', dense only'}`;
    console.log(
      row(
        [label, show(timing, (ms) => ms, 2), show(timing, (ms) => (ms * 469) / 1000, 2), copies, products, busy],
        stepWidths,
      ),
    );
  });
});
console.log("  (zero-skip: products per step that skipped their left operand's zeros, of all products;");
console.log('   busy: the share of the time each thread spent in parallel jobs: products and the optimizer step)');
await Promise.all(denseBackends.map((b) => b.dispose()));

// Adam's step for the MLP's parameters: one fused job, against Adam, scale and add op by op.
const optimizer = adam(1e-3);
console.log(`\n${row(["Adam step over the MLP's 118,282 params", 'fused, ms', 'op by op, ms'], [40, 16, 16])}`);
backends.forEach((backend) => {
  const params = model.init(T.key(4), [784], { backend }).params;
  const grads = T.treeMap(params, (p) => T.uniform(T.key(5), p.shape, { backend }));
  const state = optimizer.init(params);
  const fused = measure(() => T.releaseTensors(optimizerStep(optimizer, grads, state, params)), 1000, 10);
  const opByOp = measure(
    () => {
      const { updates, state: next } = optimizer.update(grads, state, params);
      T.releaseTensors([T.treeZipWith(T.add, params, updates), updates, next]);
    },
    1000,
    10,
  );
  console.log(
    row([`wasm, ${backend.threads} thread(s)`, show(fused, (ms) => ms, 3), show(opByOp, (ms) => ms, 3)], [40, 16, 16]),
  );
});
await Promise.all(backends.map((b) => b.dispose()));
await benchZeroSkipping();
await benchConvnet();
console.log(`\nload average after: ${load()}`);
