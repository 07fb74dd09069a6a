/**
 * Timing helpers the benchmarks share: run a function until a time budget is spent and
 * report the median and best time per call, and print fixed-width tables. Benchmarks
 * are the place for clocks; unit tests never time anything.
 */

/** Median and best wall time per call, in milliseconds. */
export interface Timing {
  readonly medianMs: number;
  readonly bestMs: number;
  readonly runs: number;
}

/**
 * Calls `run` `warmup` times, then repeatedly until `budgetMs` has passed (and at least
 * five times), timing each call.
 *
 * @example
 * ```ts
 * const t = measure(() => matmul(a, b));
 * console.log(show(t, (ms) => flops / ms / 1e6)); // GFLOP/s, "51.2 [54.0]"
 * ```
 */
export const measure = (run: () => unknown, budgetMs = 500, warmup = 5): Timing => {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < budgetMs || times.length < 5) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], bestMs: times[0], runs: times.length };
};

/** `median [best]` of a timing mapped through `f` (a rate, or a time in other units). */
export const show = (t: Timing, f: (ms: number) => number, digits = 1): string =>
  `${f(t.medianMs).toFixed(digits)} [${f(t.bestMs).toFixed(digits)}]`;

/** A table row: the first cell left-aligned, the rest right-aligned, each padded to its width. */
export const row = (cells: readonly string[], widths: readonly number[]): string =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');

/** One matmul a benchmark times: a label, the stored operand shapes, and the transposes. */
export interface MatmulCase {
  readonly label: string;
  readonly a: readonly number[];
  readonly b: readonly number[];
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
}

/**
 * The float32 products every backend's benchmark times: the MNIST MLP's forward
 * products, the two backward products of its first layer, and 1024³.
 */
export const mlpMatmulCases: readonly MatmulCase[] = [
  { label: '[128,784]·[784,128]   forward, layer 1', a: [128, 784], b: [784, 128] },
  { label: '[128,784]ᵀ·[128,128]  Xᵀ·dY, layer 1', a: [128, 784], b: [128, 128], transposeA: true },
  { label: '[128,128]·[784,128]ᵀ  dY·Wᵀ, layer 1', a: [128, 128], b: [784, 128], transposeB: true },
  { label: '[128,128]·[128,128]   layer 2', a: [128, 128], b: [128, 128] },
  { label: '[128,128]·[128,10]    layer 3', a: [128, 128], b: [128, 10] },
  { label: '[1024,1024]·[1024,1024]', a: [1024, 1024], b: [1024, 1024] },
];

/** Floating-point operations of a matmul case: 2·m·k·n. */
export const matmulFlops = ({ a, b, transposeA, transposeB }: MatmulCase): number => {
  const [m, k] = transposeA ? [a[1], a[0]] : [a[0], a[1]];
  const n = transposeB ? b[0] : b[1];
  return 2 * m * k * n;
};

/** One convolution a benchmark times: NHWC input, kernel `[fh, fw, in, out]`, 'valid' unless stated. */
export interface ConvCase {
  readonly label: string;
  readonly x: readonly number[];
  readonly kernel: readonly number[];
  readonly padding?: 'valid' | 'same';
}

/** The two convolutions of Keras's mnist_convnet at batch 128 (the model issue 12 trains). */
export const convnetConvCases: readonly ConvCase[] = [
  { label: 'conv 1: [128,28,28,1] * [3,3,1,32]', x: [128, 28, 28, 1], kernel: [3, 3, 1, 32] },
  { label: 'conv 2: [128,13,13,32] * [3,3,32,64]', x: [128, 13, 13, 32], kernel: [3, 3, 32, 64] },
];

/** Floating-point operations of a convolution case (and of each of its two gradients): 2·pixels·taps·out. */
export const convFlops = ({ x, kernel, padding }: ConvCase): number => {
  const [batch, height, width] = x;
  const [fh, fw, inChannels, outChannels] = kernel;
  const pixels = padding === 'same' ? batch * height * width : batch * (height - fh + 1) * (width - fw + 1);
  return 2 * pixels * fh * fw * inChannels * outChannels;
};
