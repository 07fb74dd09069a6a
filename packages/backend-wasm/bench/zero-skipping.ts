/**
 * The products of the MNIST MLP's training step and of inference, with operands as
 * training makes them (a batch of MNIST test images scaled by 1/255, ReLU outputs of a
 * random layer, a gradient masked by ReLU's derivative), timed dense and skipping the
 * zeros of A; and the same shapes with dense random operands, where `auto` falls back
 * to the dense product after scanning A. GFLOP/s are given two ways: dense-equivalent
 * (2·m·k·n per call, comparable with the dense rows) and actual (2·n per nonzero of A:
 * the multiply-adds the zero-skipping product really does). Then the MLP's inference on
 * MNIST and on dense images, and the MNIST convnet's convolutions, whose products choose
 * the same way.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as T from '@axon/tensor';
import { measure, row, show, type Timing } from '@axon/bench';
import { layers, predict } from '@axon/nn';
import { createWasmBackend } from '../src/edge/index.js';
import { startWasmRuntime } from '../src/edge/runtime.js';
import { matmul, MIN_ZERO_SHARE, type ProductPath } from '../src/kernels/matmul.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../src/kernels/conv.js';
import type { WasmRuntime } from '../src/runtime/runtime.js';
import type { WasmStorage } from '../src/runtime/resident.js';

/** The MNIST test images bundled with `@axon/mnist-data`, scaled to [0, 1]. */
export const mnistTestImages = (): Float32Array => {
  const file = new URL('../../mnist-data/data/t10k-images-idx3-ubyte.gz', import.meta.url);
  const bytes = gunzipSync(readFileSync(file));
  return Float32Array.from(bytes.subarray(16), (v) => v / 255);
};

interface Operand {
  readonly values: Float32Array;
  readonly shape: readonly [number, number];
}

interface ProductCase {
  readonly label: string;
  readonly a: Operand;
  readonly b: Operand;
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
}

const random = (seed: number, shape: readonly [number, number], lo = -0.1, hi = 0.1): Operand => ({
  values: Float32Array.from(T.uniform(T.key(seed), [...shape], { minval: lo, maxval: hi }).values),
  shape,
});

/** `relu(x·w)` on the host, in float64 (only its zeros matter here). */
const reluProduct = (x: Operand, w: Operand): Operand => {
  const [m, k] = x.shape;
  const n = w.shape[1];
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += x.values[i * k + p] * w.values[p * n + j];
      out[i * n + j] = Math.max(sum, 0);
    }
  return { values: out, shape: [m, n] };
};

/** A random gradient zeroed where `h` is (ReLU's derivative). */
const masked = (seed: number, h: Operand): Operand => {
  const g = random(seed, h.shape);
  return { values: g.values.map((v, i) => (h.values[i] > 0 ? v : 0)), shape: h.shape };
};

/** The MLP's products with operands as training makes them, and dense ones of the same shapes. */
const productCases = (): { mnistCases: readonly ProductCase[]; denseCases: readonly ProductCase[] } => {
  const images = mnistTestImages();
  const x: Operand = { values: images.subarray(0, 128 * 784), shape: [128, 784] };
  const w1 = random(1, [784, 128]);
  const w2 = random(2, [128, 128], -0.15, 0.15);
  const w3 = random(3, [128, 10], -0.2, 0.2);
  const h1 = reluProduct(x, w1);
  const h2 = reluProduct(h1, w2);
  const dz2 = masked(4, h2);
  const dz1 = masked(5, h1);

  const mnistCases: readonly ProductCase[] = [
    { label: 'x·W1        [128,784]·[784,128]', a: x, b: w1 },
    { label: 'xᵀ·dZ1      [128,784]ᵀ·[128,128]', a: x, b: dz1, transposeA: true },
    { label: 'h1·W2       [128,128]·[128,128]', a: h1, b: w2 },
    { label: 'h1ᵀ·dZ2     [128,128]ᵀ·[128,128]', a: h1, b: dz2, transposeA: true },
    { label: 'dZ2·W2ᵀ     [128,128]·[128,128]ᵀ', a: dz2, b: w2, transposeB: true },
    { label: 'h2·W3       [128,128]·[128,10]', a: h2, b: w3 },
    { label: 'x·W1, 10,000 test images', a: { values: images, shape: [10000, 784] }, b: w1 },
  ];
  const denseCases: readonly ProductCase[] = [
    { label: 'dense x·W1  [128,784]·[784,128]', a: random(6, [128, 784], 0.01, 1), b: w1 },
    {
      label: 'dense xᵀ·dZ [128,784]ᵀ·[128,128]',
      a: random(6, [128, 784], 0.01, 1),
      b: random(7, [128, 128]),
      transposeA: true,
    },
    { label: 'dense h·W2  [128,128]·[128,128]', a: random(8, [128, 128], 0.01, 1), b: w2 },
  ];
  return { mnistCases, denseCases };
};

const dims = (c: ProductCase) => {
  const [m, k] = c.transposeA ? [c.a.shape[1], c.a.shape[0]] : c.a.shape;
  const n = c.transposeB ? c.b.shape[0] : c.b.shape[1];
  return { m, k, n };
};

const zeroShare = (values: Float32Array): number =>
  values.reduce((zeros, v) => zeros + (v === 0 ? 1 : 0), 0) / values.length;

/** The product through the backend's wrapper (scan, choice, job), on resident operands. */
const timeCase = (runtime: WasmRuntime, c: ProductCase, path: ProductPath): Timing => {
  const { memory } = runtime;
  const [a, b] = [upload(runtime, c.a.values), upload(runtime, c.b.values)];
  const spec = {
    batch: 1,
    ...dims(c),
    transposeA: c.transposeA ?? false,
    transposeB: c.transposeB ?? false,
    aBatched: false,
    bBatched: false,
  };
  const big = spec.m > 1000;
  const timing = measure(
    () => memory.release(matmul(runtime, a, b, spec, undefined, path)),
    big ? 1500 : 400,
    big ? 2 : 20,
  );
  [a, b].forEach((s) => memory.release(s));
  return timing;
};

export const benchZeroSkipping = async (): Promise<void> => {
  const { mnistCases, denseCases } = productCases();
  const runtimes = [await startWasmRuntime({ threads: 1 }), await startWasmRuntime({ threads: 2 })];
  const widths = [36, 7, 14, 14, 16, 14, 8];
  console.log(
    `\nProducts skipping A's zeros (auto from ${MIN_ZERO_SHARE * 100}% zeros; results bit-identical to dense). ms, median [best]`,
  );
  runtimes.forEach((runtime) => {
    console.log(
      `\n${row([`${runtime.threads} thread(s)`, 'zeros', 'dense ms', 'auto ms', 'GFLOP/s dense-eq', 'actual GFLOP/s', 'speed-up'], widths)}`,
    );
    [...mnistCases, ...denseCases].forEach((c) => {
      const { m, k, n } = dims(c);
      const share = zeroShare(c.a.values);
      const dense = timeCase(runtime, c, 'dense');
      const auto = timeCase(runtime, c, 'auto');
      const flops = 2 * m * k * n;
      console.log(
        row(
          [
            c.label,
            `${(share * 100).toFixed(0)}%`,
            show(dense, (ms) => ms, 3),
            show(auto, (ms) => ms, 3),
            show(auto, (ms) => flops / ms / 1e6),
            show(auto, (ms) => (flops * (1 - share)) / ms / 1e6),
            `${(dense.bestMs / auto.bestMs).toFixed(2)}x`,
          ],
          widths,
        ),
      );
    });
  });
  console.log('  (dense-eq: 2·m·k·n per call; actual: 2·n per nonzero of A; speed-up: best dense / best auto)');
  await Promise.all(runtimes.map((r) => r.dispose()));
  await benchInference();
  await benchConvolutions();
};

/** Random values in [-1, 1) with about `zeros` of them zero. */
const withZeros = (seed: number, count: number, zeros: number): Float32Array => {
  const values = T.uniform(T.key(seed), [count], { minval: -1, maxval: 1 }).values as Float32Array;
  const draws = T.uniform(T.key(seed + 1), [count]).values as Float32Array;
  return values.map((v, i) => (draws[i] < zeros ? 0 : v));
};

/**
 * The MNIST convnet's convolutions with operands as training makes them: the first
 * layer's input is MNIST's images (81% zeros); the second's is max-pooled ReLU outputs
 * (few zeros: about 6%); the gradients `dy` reaching both are about 85% zeros (max
 * pooling's gradient reaches one pixel in four, ReLU's derivative masks more). On one
 * thread, dense only and choosing per product; the outputs are compared bit for bit.
 */
const benchConvolutions = async (): Promise<void> => {
  const images = mnistTestImages().slice(0, 128 * 784);
  const cases = [
    { label: 'conv 1 [128,28,28,1]*[3,3,1,32]', x: [128, 28, 28, 1], k: [3, 3, 1, 32], xValues: images },
    {
      label: 'conv 2 [128,13,13,32]*[3,3,32,64]',
      x: [128, 13, 13, 32],
      k: [3, 3, 32, 64],
      xValues: withZeros(5, 128 * 13 * 13 * 32, 0.06),
    },
  ];
  const [auto, dense] = [
    await startWasmRuntime({ threads: 1 }),
    await startWasmRuntime({ threads: 1, skipZeros: false }),
  ];
  const widths = [52, 14, 14, 10, 10];
  console.log(`
${row(['convolutions, 1 thread, ms median [best]', 'dense', 'auto', 'skipped', 'speed-up'], widths)}`);
  for (const c of cases) {
    const g = T.conv2dGeometry(c.x, c.k, {});
    const kernel = withZeros(
      9,
      c.k.reduce((a, b) => a * b),
      0,
    );
    const dy = withZeros(11, g.batch * g.outHeight * g.outWidth * g.outChannels, 0.85);
    const kinds = [
      { what: 'forward', run: (r: WasmRuntime, o: Resident) => conv2d(r, o.x, o.kernel, g) },
      { what: 'input gradient', run: (r: WasmRuntime, o: Resident) => conv2dBackpropInput(r, o.dy, o.kernel, g) },
      { what: 'kernel gradient', run: (r: WasmRuntime, o: Resident) => conv2dBackpropFilter(r, o.x, o.dy, g) },
    ];
    for (const { what, run } of kinds) {
      const figures = [dense, auto].map((runtime) => {
        const operands = { x: upload(runtime, c.xValues), kernel: upload(runtime, kernel), dy: upload(runtime, dy) };
        const skippedBefore = runtime.products.skippingZeros;
        const out = run(runtime, operands);
        const bits = new Uint32Array(runtime.memory.viewOf(out).slice().buffer);
        runtime.memory.release(out);
        const skipped = runtime.products.skippingZeros - skippedBefore;
        const timing = measure(() => runtime.memory.release(run(runtime, operands)), 1500, 2);
        Object.values(operands).forEach((s) => runtime.memory.release(s));
        return { bits, skipped, timing };
      });
      const same = figures[0].bits.every((b, i) => b === figures[1].bits[i]);
      if (!same) throw new Error(`${c.label} ${what}: skipping zeros changed the result`);
      console.log(
        row(
          [
            `${c.label} ${what}`,
            show(figures[0].timing, (ms) => ms, 2),
            show(figures[1].timing, (ms) => ms, 2),
            `${figures[1].skipped}`,
            `${(figures[0].timing.bestMs / figures[1].timing.bestMs).toFixed(2)}x`,
          ],
          widths,
        ),
      );
    }
  }
  console.log('  (skipped: the products of the call that skipped zeros; results checked bit for bit against dense)');
  await Promise.all([auto, dense].map((r) => r.dispose()));
};

interface Resident {
  readonly x: WasmStorage<'float32'>;
  readonly kernel: WasmStorage<'float32'>;
  readonly dy: WasmStorage<'float32'>;
}

const upload = (runtime: WasmRuntime, values: Float32Array): WasmStorage<'float32'> => {
  const storage = runtime.memory.allocate('float32', values.length);
  runtime.memory.viewOf(storage).set(values);
  return storage;
};

/**
 * The MLP's inference (`predict` on 10,000 images in one batch, freshly initialised
 * weights) on MNIST's test images and on dense random images, skipping zeros or dense
 * only, in images/s: the gain is MNIST's zeros, and dense inputs show the dense speed.
 */
const benchInference = async (): Promise<void> => {
  const model = layers.sequential([
    layers.dense(128, { activation: 'relu' }),
    layers.dense(128, { activation: 'relu' }),
    layers.dense(10, { activation: 'softmax' }),
  ]);
  const inputs = [
    { label: 'MNIST test images', x: T.tensor(mnistTestImages(), { shape: [10000, 784] }) },
    { label: 'dense random images', x: T.uniform(T.key(7), [10000, 784], { minval: 0.01, maxval: 1 }) },
  ];
  const widths = [40, 20, 20];
  console.log(`\n${row(['MLP inference, 10,000 images, images/s', 'auto', 'dense only'], widths)}`);
  for (const threads of [1, 2]) {
    const backends = [await createWasmBackend({ threads }), await createWasmBackend({ threads, skipZeros: false })];
    const params = backends.map((backend) => model.init(T.key(0), [784], { backend }).params);
    inputs.forEach(({ label, x }) => {
      const cells = backends.map((backend, i) => {
        const onBackend = T.toBackend(x, backend);
        const timing = measure(() => predict(model, params[i], onBackend, { batchSize: 10_000 }).values, 1500, 2);
        return show(timing, (ms) => (10_000 / ms) * 1000, 0);
      });
      console.log(row([`${label}, ${threads} thread(s)`, ...cells], widths));
    });
    await Promise.all(backends.map((b) => b.dispose()));
  }
};

if (import.meta.url === `file://${process.argv[1]}`) await benchZeroSkipping();
