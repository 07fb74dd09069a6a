/**
 * `npm run bench` for @axon/tensor: float32 matmul GFLOP/s on the MNIST MLP's shapes
 * (forward and both backward products) and 1024³, and element-wise throughput, on the
 * plain TypeScript backend.
 */
import { matmulFlops, measure, mlpMatmulCases, row, show } from '@axon/bench';
import { add, jsBackend, key, matmul, mul, relu, split, sum, uniform, type Backend } from '@axon/tensor';

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
