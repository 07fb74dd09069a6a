import fc from 'fast-check';
import { key, uniform, type MatmulSpec } from '@axon/tensor';

/** `n` float32 values uniform in `[lo, hi)`, from a seed. */
export const randomFloats = (seed: number, n: number, lo = -2, hi = 2): Float32Array =>
  Float32Array.from(uniform(key(seed), [n], { minval: lo, maxval: hi }).values);

/** The bits of float32 values, for comparing results bit for bit (NaNs by their payload). */
export const float32Bits = (values: ArrayLike<number>): number[] =>
  Array.from(new Uint32Array(Float32Array.from(values).buffer));

/** Element `[i, p]` of `op(A[t])` and `[p, j]` of `op(B[t])` under `spec`. */
const operands = (a: Float32Array, b: Float32Array, spec: MatmulSpec) => {
  const { m, k, n } = spec;
  return {
    a: (t: number, i: number, p: number): number =>
      a[(spec.aBatched ? t * m * k : 0) + (spec.transposeA ? p * m + i : i * k + p)],
    b: (t: number, p: number, j: number): number =>
      b[(spec.bBatched ? t * k * n : 0) + (spec.transposeB ? j * k + p : p * n + j)],
  };
};

/**
 * The product as a naive float32 loop: each element's products summed in k order, every
 * product and sum rounded to float32. The wasm kernel promises exactly this.
 */
export const sequentialMatmul = (a: Float32Array, b: Float32Array, spec: MatmulSpec): Float32Array => {
  const { batch, m, k, n } = spec;
  const op = operands(a, b, spec);
  const c = new Float32Array(batch * m * n);
  for (let t = 0; t < batch; t++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s = Math.fround(s + Math.fround(op.a(t, i, p) * op.b(t, p, j)));
        c[(t * m + i) * n + j] = s;
      }
  return c;
};

/** The product in float64, with each element's `Σ|a·b|`, which bounds float32 summation error. */
export const float64Matmul = (
  a: Float32Array,
  b: Float32Array,
  spec: MatmulSpec,
): { values: Float64Array; magnitudes: Float64Array } => {
  const { batch, m, k, n } = spec;
  const op = operands(a, b, spec);
  const values = new Float64Array(batch * m * n);
  const magnitudes = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        let size = 0;
        for (let p = 0; p < k; p++) {
          const product = op.a(t, i, p) * op.b(t, p, j);
          s += product;
          size += Math.abs(product);
        }
        values[(t * m + i) * n + j] = s;
        magnitudes[(t * m + i) * n + j] = size;
      }
  return { values, magnitudes };
};

/** Index of the first element where two arrays differ in bits (NaNs equal), or -1. */
export const firstDifference = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++)
    if (!Object.is(x[i], y[i]) && !(Number.isNaN(x[i]) && Number.isNaN(y[i]))) return i;
  return -1;
};

/** A matmul spec with every flag spelled out. */
export const matmulSpec = (m: number, k: number, n: number, options: Partial<MatmulSpec> = {}): MatmulSpec => ({
  batch: 1,
  m,
  k,
  n,
  transposeA: false,
  transposeB: false,
  aBatched: false,
  bBatched: false,
  ...options,
});

/**
 * Random product specs: `m` and `n` from `dim`, `k` from `depth`, a batch of 1 to 3, both
 * transposes and batch layouts, at most `maxWork` multiply-adds (to keep the naive
 * reference cheap).
 */
export const matmulSpecArb = (
  dim: fc.Arbitrary<number>,
  depth: fc.Arbitrary<number>,
  maxWork: number,
): fc.Arbitrary<MatmulSpec> =>
  fc
    .record({
      m: dim,
      k: depth,
      n: dim,
      batch: fc.integer({ min: 1, max: 3 }),
      transposeA: fc.boolean(),
      transposeB: fc.boolean(),
      aBatched: fc.boolean(),
      bBatched: fc.boolean(),
    })
    .filter((s) => s.batch * s.m * s.k * s.n <= maxWork);
