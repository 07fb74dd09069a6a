/**
 * `npm run bench` for @axon/tensor: float32 matmul GFLOP/s on the MNIST MLP's shapes
 * (forward and both backward products) and 1024³, convolution GFLOP/s on the MNIST
 * convnet's shapes (forward, input and kernel gradients), pooling and element-wise
 * throughput, on the plain TypeScript backend.
 */
import { convFlops, convnetConvCases, matmulFlops, measure, mlpMatmulCases, row, show } from '@axon/bench';
import {
  add,
  avgPool2d,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  conv2dGeometry,
  jsBackend,
  key,
  matmul,
  maxPool2d,
  maxPool2dGrad,
  mul,
  pool2dGeometry,
  relu,
  split,
  sum,
  uniform,
  type Backend,
} from '@axon/tensor';

const backend: Backend = jsBackend;
const widths = [42, 18, 18];

console.log(`@axon/tensor on the '${backend.name}' backend, float32: medians of repeated runs, best in brackets\n`);
console.log(row(['matmul', 'ms', 'GFLOP/s'], widths));
mlpMatmulCases.forEach((c, i) => {
  const [ka, kb] = split(key(i));
  const a = uniform(ka, c.a, { backend });
  const b = uniform(kb, c.b, { backend });
  const large = matmulFlops(c) > 2e8;
  const t = measure(() => matmul(a, b, c), large ? 3000 : 600, large ? 1 : 3);
  console.log(row([c.label, show(t, (ms) => ms, 3), show(t, (ms) => matmulFlops(c) / ms / 1e6, 2)], widths));
});

const convWidths = [52, 16, 14];
console.log(`\n${row(['convolution (MNIST convnet, batch 128)', 'ms', 'GFLOP/s'], convWidths)}`);
convnetConvCases.forEach((c, i) => {
  const [kx, kk, kd] = split(key(50 + i), 3);
  const x = uniform(kx, c.x, { backend });
  const kernel = uniform(kk, c.kernel, { backend, minval: -0.1, maxval: 0.1 });
  const g = conv2dGeometry(c.x, c.kernel, { padding: c.padding });
  const dy = uniform(kd, [g.batch, g.outHeight, g.outWidth, g.outChannels], { backend });
  const flops = convFlops(c);
  const runs: [string, () => unknown][] = [
    ['forward', () => conv2d(x, kernel, { padding: c.padding })],
    ['input gradient', () => conv2dBackpropInput(dy, kernel, g)],
    ['kernel gradient', () => conv2dBackpropFilter(x, dy, g)],
  ];
  runs.forEach(([what, run]) => {
    const t = measure(run, 2000, 1);
    console.log(row([`${c.label}, ${what}`, show(t, (ms) => ms, 1), show(t, (ms) => flops / ms / 1e6, 2)], convWidths));
  });
});

const pooled = uniform(key(60), [128, 26, 26, 32], { backend });
const poolGeometry = pool2dGeometry('maxPool2d', pooled.shape, 2);
const poolDy = uniform(key(61), [128, 13, 13, 32], { backend });
const pools: [string, () => unknown][] = [
  ['maxPool2d 2x2 [128,26,26,32]', () => maxPool2d(pooled, 2)],
  ['maxPool2dGrad 2x2 [128,26,26,32]', () => maxPool2dGrad(poolDy, pooled, poolGeometry)],
  ['avgPool2d 2x2 [128,26,26,32]', () => avgPool2d(pooled, 2)],
];
console.log(`\n${row(['pooling', 'ms', 'Melem/s in'], widths)}`);
pools.forEach(([name, run]) => {
  const t = measure(run, 1000, 2);
  console.log(row([name, show(t, (ms) => ms, 2), show(t, (ms) => pooled.size / ms / 1e3, 0)], widths));
});

const size = 1 << 20;
const random = (seed: number, shape: number[]) => uniform(key(seed), shape, { minval: -1, maxval: 1, backend });
const x = random(100, [size]);
const y = random(101, [size]);
const bias = random(102, [1024]);
const grid = random(103, [1024, 1024]);
const elementwise: [string, () => unknown][] = [
  ['add, same shape (2^20)', () => add(x, y)],
  ['mul, same shape (2^20)', () => mul(x, y)],
  ['add, row broadcast [1024,1024]+[1024]', () => add(grid, bias)],
  ['relu (2^20)', () => relu(x)],
  ['sum (2^20)', () => sum(x)],
  ['sum over axis 0 [1024,1024]', () => sum(grid, 0)],
];
console.log(`\n${row(['element-wise', 'ms', 'Melem/s'], widths)}`);
elementwise.forEach(([name, run]) => {
  const t = measure(run, 400);
  console.log(row([name, show(t, (ms) => ms, 3), show(t, (ms) => size / ms / 1e3, 0)], widths));
});
