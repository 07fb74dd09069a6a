import type { Backend } from '../backend/backend.js';
import { jsBackend } from '../backend/js/index.js';
import { allocate, type DType, type FloatDType } from '../core/dtype.js';
import { check } from '../core/error.js';
import { checkShape, sizeOf, type Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { fromValues } from '../ops/operand.js';
import { foldIn, randomBits, type PRNGKey } from './key.js';

/** Options every float distribution takes. */
export interface RandomOptions<D extends FloatDType> {
  /** `float32` unless stated. */
  readonly dtype?: D;
  readonly backend?: Backend;
}

const FLOAT32_ONE_BITS = 0x3f800000;

/**
 * Uniform floats in [0, 1): float32 from 23 random mantissa bits (as JAX builds them),
 * float64 from 52 bits drawn from two words.
 */
const unitUniform = (k: PRNGKey, count: number, dtype: FloatDType): Float64Array => {
  const out = new Float64Array(count);
  if (dtype === 'float32') {
    const bits = randomBits(k, count);
    const word = new Uint32Array(1);
    const asFloat = new Float32Array(word.buffer);
    for (let i = 0; i < count; i++) {
      word[0] = (bits[i] >>> 9) | FLOAT32_ONE_BITS;
      out[i] = asFloat[0] - 1;
    }
  } else {
    const bits = randomBits(k, 2 * count);
    for (let i = 0; i < count; i++) out[i] = ((bits[2 * i] >>> 6) * 2 ** 26 + (bits[2 * i + 1] >>> 6)) / 2 ** 52;
  }
  return out;
};

const finish = <D extends DType>(
  dtype: D,
  values: ArrayLike<number>,
  shape: Shape,
  backend: Backend = jsBackend,
): Tensor<D> => {
  const out = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return fromValues(dtype, out, shape, backend);
};

/**
 * Uniform random values in `[minval, maxval)`.
 *
 * @example
 * ```ts
 * uniform(key(0), [2, 3], { minval: -1, maxval: 1 });
 * ```
 */
export const uniform = <D extends FloatDType = 'float32'>(
  k: PRNGKey,
  shape: Shape,
  options: RandomOptions<D> & { readonly minval?: number; readonly maxval?: number } = {},
): Tensor<D> => {
  checkShape('uniform', shape);
  const dtype = options.dtype ?? ('float32' as D);
  const lo = options.minval ?? 0;
  const hi = options.maxval ?? 1;
  check(lo <= hi, 'uniform', () => `minval ${lo} is greater than maxval ${hi}`);
  const values = unitUniform(k, sizeOf(shape), dtype);
  for (let i = 0; i < values.length; i++) values[i] = lo + values[i] * (hi - lo);
  return finish(dtype, values, shape, options.backend);
};

/** Standard normal samples by the Box–Muller transform, from `2 * ceil(count / 2)` uniforms. */
const standardNormal = (k: PRNGKey, count: number, dtype: FloatDType): Float64Array => {
  const pairs = Math.ceil(count / 2);
  const u = unitUniform(k, 2 * pairs, dtype);
  const out = new Float64Array(count);
  for (let i = 0; i < pairs; i++) {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - u[2 * i]));
    const angle = 2 * Math.PI * u[2 * i + 1];
    out[2 * i] = radius * Math.cos(angle);
    if (2 * i + 1 < count) out[2 * i + 1] = radius * Math.sin(angle);
  }
  return out;
};

/** Normal random values with the given `mean` (default 0) and `stddev` (default 1). */
export const normal = <D extends FloatDType = 'float32'>(
  k: PRNGKey,
  shape: Shape,
  options: RandomOptions<D> & { readonly mean?: number; readonly stddev?: number } = {},
): Tensor<D> => {
  checkShape('normal', shape);
  const dtype = options.dtype ?? ('float32' as D);
  const values = standardNormal(k, sizeOf(shape), dtype);
  const mean = options.mean ?? 0;
  const stddev = options.stddev ?? 1;
  for (let i = 0; i < values.length; i++) values[i] = mean + stddev * values[i];
  return finish(dtype, values, shape, options.backend);
};

/**
 * Normal values with draws beyond two standard deviations redrawn, as Keras's and
 * TensorFlow's `truncated_normal`. Redraws come from keys folded from `k`, so the result
 * is still a pure function of the key.
 */
export const truncatedNormal = <D extends FloatDType = 'float32'>(
  k: PRNGKey,
  shape: Shape,
  options: RandomOptions<D> & { readonly mean?: number; readonly stddev?: number } = {},
): Tensor<D> => {
  checkShape('truncatedNormal', shape);
  const dtype = options.dtype ?? ('float32' as D);
  const count = sizeOf(shape);
  const values = standardNormal(k, count, dtype);
  let pending: number[] = [];
  values.forEach((v, i) => {
    if (Math.abs(v) > 2) pending.push(i);
  });
  for (let round = 1; pending.length > 0; round++) {
    const redraw = standardNormal(foldIn(k, round), pending.length, dtype);
    pending = pending.filter((index, j) => {
      values[index] = redraw[j];
      return Math.abs(redraw[j]) > 2;
    });
  }
  const mean = options.mean ?? 0;
  const stddev = options.stddev ?? 1;
  for (let i = 0; i < count; i++) values[i] = mean + stddev * values[i];
  return finish(dtype, values, shape, options.backend);
};

/** Uniform random integers in `[low, high)`, as int32. */
export const randint = (k: PRNGKey, shape: Shape, low: number, high: number, backend?: Backend): Tensor<'int32'> => {
  checkShape('randint', shape);
  check(
    Number.isInteger(low) && Number.isInteger(high) && low < high,
    'randint',
    () => `needs integers low < high, got [${low}, ${high})`,
  );
  const u = unitUniform(k, sizeOf(shape), 'float64');
  return finish(
    'int32',
    u.map((v) => low + Math.floor(v * (high - low))),
    shape,
    backend,
  );
};

/** True with probability `p`, independently per element. */
export const bernoulli = (k: PRNGKey, p: number, shape: Shape, backend?: Backend): Tensor<'bool'> => {
  checkShape('bernoulli', shape);
  check(p >= 0 && p <= 1, 'bernoulli', () => `probability must be in [0, 1], got ${p}`);
  const u = unitUniform(k, sizeOf(shape), 'float64');
  return finish(
    'bool',
    u.map((v) => (v < p ? 1 : 0)),
    shape,
    backend,
  );
};

/**
 * A random ordering of `0 .. n-1` (int32), by a Fisher–Yates shuffle driven by `k`.
 *
 * @example
 * ```ts
 * permutation(key(1), 5).toArray(); // e.g. [3, 0, 4, 1, 2], the same on every run
 * ```
 */
export const permutation = (k: PRNGKey, n: number, backend?: Backend): Tensor<'int32'> => {
  checkShape('permutation', [n]);
  return fromValues('int32', permutationValues(k, n), [n], backend ?? jsBackend);
};

/** The values of {@link permutation}, for callers that index typed arrays directly. */
export const permutationValues = (k: PRNGKey, n: number): Int32Array => {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const u = unitUniform(k, n, 'float64');
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i] * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
};
