/**
 * `npm run bench` for @axon/tensor: float32 matmul GFLOP/s on the MNIST MLP's shapes
 * (forward and both backward products) and 1024³, and element-wise throughput, on the
 * plain TypeScript backend.
 */
import { measure, row, show } from '@axon/bench';
import { add, jsBackend, key, matmul, mul, relu, split, sum, uniform, type Backend, type MatmulOptions } from '@axon/tensor';

const backend: Backend = jsBackend;
const widths = [42, 18, 18];

const matmulCases: [string, number[], number[], MatmulOptions][] = [
  ['[128,784]·[784,128]   forward, layer 1', [128, 784], [784, 128], {}],
  ['[128,784]ᵀ·[128,128]  Xᵀ·dY, layer 1', [128, 784], [128, 128], { transposeA: true }],
  ['[128,128]·[784,128]ᵀ  dY·Wᵀ, layer 1', [128, 128], [784, 128], { transposeB: true }],
  ['[128,128]·[128,128]   layer 2', [128, 128], [128, 128], {}],
  ['[128,128]·[128,10]    layer 3', [128, 128], [128, 10], {}],
  ['[1024,1024]·[1024,1024]', [1024, 1024], [1024, 1024], {}],
];

console.log(`@axon/tensor on the '${backend.name}' backend, float32: medians of repeated runs, best in brackets\n`);
console.log(row(['matmul', 'ms', 'GFLOP/s'], widths));
matmulCases.forEach(([name, sa, sb, options], i) => {
  const [ka, kb] = split(key(i));
  const a = uniform(ka, sa, { backend });
  const b = uniform(kb, sb, { backend });
  const [m, k] = options.transposeA ? [sa[1], sa[0]] : sa;
  const n = options.transposeB ? sb[0] : sb[1];
  const large = sa[0] === 1024;
  const t = measure(() => matmul(a, b, options), large ? 3000 : 600, large ? 1 : 3);
  console.log(row([name, show(t, (ms) => ms, 3), show(t, (ms) => (2 * m * k * n) / ms / 1e6, 2)], widths));
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
