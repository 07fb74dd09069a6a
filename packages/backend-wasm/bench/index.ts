/**
 * `npm run bench` for @axon/backend-wasm: float32 matmul GFLOP/s through the public ops
 * on 1 and 2 threads (workers sleeping when idle, or polling); where a call's time goes
 * (copying in and out, the kernel, posting work to the workers); and one training step
 * of the MNIST MLP (784-128-128-10, batch 128, Adam).
 * Medians of repeated runs, best in brackets; the machine's load is printed because
 * other work on it skews every number.
 */
import { loadavg } from 'node:os';
import * as T from '@axon/tensor';
import { createWasmBackend } from '../src/index.js';
import { startWasmRuntime } from '../src/edge/runtime.js';
import { matmulFlops, measure, mlpMatmulCases, row, show } from '@axon/bench';

/** The configurations compared: one thread, two, and two whose idle workers poll for about 100 µs before sleeping. */
const configurations: { label: string; threads: number; spin: number }[] = [
  { label: '1 thread', threads: 1, spin: 0 },
  { label: '2 threads', threads: 2, spin: 0 },
  { label: '2, polling', threads: 2, spin: 200_000 },
];
const load = (): string => loadavg().map((v) => v.toFixed(2)).join(' ');


console.log(`@axon/backend-wasm, float32; load average ${load()}\n`);

const backends = await Promise.all(configurations.map(({ threads, spin }) => createWasmBackend({ threads, spin })));

console.log(row(['matmul GFLOP/s', ...configurations.map((c) => c.label)], [40, 16]));
mlpMatmulCases.forEach((c, i) => {
  const flops = matmulFlops(c);
  const big = flops > 2e8;
  const cells = backends.map((backend) => {
    const [ka, kb] = T.split(T.key(i));
    const a = T.uniform(ka, c.a, { backend });
    const b = T.uniform(kb, c.b, { backend });
    return show(measure(() => T.matmul(a, b, c), big ? 3000 : 800, big ? 2 : 20), (ms) => flops / ms / 1e6);
  });
  console.log(row([c.label, ...cells], [40, 16]));
});

// Where the time of one call goes, measured on the kernels directly.
const us = (ms: number): number => ms * 1000;
const runtimes = await Promise.all(configurations.map(({ threads, spin }) => startWasmRuntime({ threads, spin })));
console.log(`\n${row(['per call, µs', 'copy in', 'copy out', ...configurations.map((c) => `kernel, ${c.label}`)], [40, 13, 13, 20])}`);
mlpMatmulCases.slice(0, 5).forEach((c, i) => {
  const [m, k] = c.transposeA ? [c.a[1], c.a[0]] : c.a;
  const n = c.transposeB ? c.b[0] : c.b[1];
  const a = Float32Array.from(T.uniform(T.key(i), c.a).values);
  const b = Float32Array.from(T.uniform(T.key(i + 50), c.b).values);
  const timings = runtimes.map(({ arena, kernels }) => {
    arena.reset();
    const aAt = arena.putFloats(a);
    const bAt = arena.putFloats(b);
    const cAt = arena.reserve(m * n * 4);
    const panels = arena.reserve(kernels.packedBytes(1, m, k, n, 0, 0));
    const kernel = measure(() =>
      kernels.matmul(1, aAt, bAt, cAt, 1, m, k, n, c.transposeA ? 1 : 0, c.transposeB ? 1 : 0, 0, 0, 0, 0, panels),
    );
    const copyIn = measure(() => {
      arena.reset();
      arena.putFloats(a);
      arena.putFloats(b);
    });
    return { kernel, copyIn, copyOut: measure(() => arena.takeFloats(cAt, m * n)) };
  });
  console.log(row([c.label, show(timings[0].copyIn, us), show(timings[0].copyOut, us), ...timings.map((t) => show(t.kernel, us))], [40, 13, 13, 20]));
});
const tiny = runtimes.map(({ arena, kernels }) => {
  arena.reset();
  const one = arena.reserve(64);
  const panels = arena.reserve(kernels.packedBytes(1, 1, 1, 1, 0, 0));
  return measure(() => kernels.matmul(1, one, one, one, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, panels), 300);
});
console.log(row(['[1,1]·[1,1] posted as a parallel job', '', '', ...tiny.map((t) => show(t, us, 2))], [40, 13, 13, 20]));
console.log('  (the last line is the fixed cost of a call into wasm, plus, with workers, of posting a job and gathering them)');
await Promise.all(runtimes.map((r) => r.dispose()));

const parameterNames = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3'] as const;
type Params = Record<(typeof parameterNames)[number], T.Tensor>;
const asParams = (values: readonly T.Tensor[]): Params =>
  Object.fromEntries(parameterNames.map((name, i) => [name, values[i]])) as Params;

/** One training step of the MLP: forward, gradients, and an Adam update of every parameter. */
const trainingStep = (backend: T.Backend): (() => void) => {
  const keys = T.split(T.key(7), 4);
  const init = (k: T.PRNGKey, shape: number[]) => T.normal(k, shape, { stddev: Math.sqrt(2 / shape[0]), backend });
  let params = asParams([
    init(keys[0], [784, 128]), T.zeros([128], { backend }),
    init(keys[1], [128, 128]), T.zeros([128], { backend }),
    init(keys[2], [128, 10]), T.zeros([10], { backend }),
  ]);
  let m = T.treeMap(params, (p) => T.zerosLike(p));
  let v = T.treeMap(params, (p) => T.zerosLike(p));
  const x = T.uniform(keys[3], [128, 784], { backend });
  const labels = T.randint(T.key(8), [128], 0, 10, backend);
  const loss = (p: Params) =>
    T.mean(T.sparseSoftmaxCrossEntropy(T.dense(T.dense(T.dense(x, p.w1, p.b1, 'relu'), p.w2, p.b2, 'relu'), p.w3, p.b3), labels));
  let t = 0;
  return () => {
    t += 1;
    const { grads } = T.valueAndGrad(loss)(params);
    const step = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: 1 / (1 - 0.9 ** t), correction2: 1 / (1 - 0.999 ** t) };
    const updates = parameterNames.map((name) => T.adamStep(grads[name], m[name], v[name], step));
    params = asParams(parameterNames.map((name, i) => T.sub(params[name], T.mul(updates[i].direction, 1e-3))));
    m = asParams(updates.map((u) => u.m));
    v = asParams(updates.map((u) => u.v));
  };
};

console.log(`\n${row(['MLP training step (batch 128, Adam)', 'ms/step', 's per 469 steps'], [40, 16])}`);
const stepBackends: [string, T.Backend][] = [['js backend', T.jsBackend], ...backends.map((b, i): [string, T.Backend] => [`wasm, ${configurations[i].label}`, b])];
stepBackends.forEach(([label, backend]) => {
  const t = measure(trainingStep(backend), 3000, 5);
  console.log(row([label, show(t, (ms) => ms, 2), show(t, (ms) => (ms * 469) / 1000, 2)], [40, 16]));
});

await Promise.all(backends.map((b) => b.dispose()));
console.log(`\nload average after: ${load()}`);
