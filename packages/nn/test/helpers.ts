import { key, mul, permutationValues, randint, sum, tensor, uniform, type Shape, type Tensor } from '@axon/tensor';

/** Float64 values uniform in `[lo, hi]`, pushed out of `(-gap, gap)` to keep gradient checks off kinks. */
export const values64 = (seed: number, shape: Shape, lo = -1, hi = 1, gap = 0): Tensor<'float64'> => {
  const raw = uniform(key(seed), shape, { dtype: 'float64', minval: lo, maxval: hi }).values;
  const pushed = raw.map((v) => (Math.abs(v) >= gap ? v : v < 0 ? v - gap : v + gap));
  return tensor(pushed, { shape, dtype: 'float64' });
};

/** Int32 class labels in `[0, classes)`. */
export const labels = (seed: number, count: number, classes: number): Tensor<'int32'> =>
  randint(key(seed), [count], 0, classes);

/**
 * A scalar depending on every element of `y` with its own weight in [0.5, 1.5], so a
 * gradient check sees a non-uniform cotangent.
 */
export const weighted = (y: Tensor, seed: number): Tensor => sum(mul(y, values64(seed + 7919, y.shape, 0.5, 1.5)));

/** Float64 options for layer `init` in gradient checks. */
export const f64 = { dtype: 'float64' } as const;

/**
 * Float64 values in about [-1, 1] that are pairwise at least 1.6 / size apart (a shuffled
 * grid, slightly jittered), so no two tie within a finite-difference step: inputs for
 * max pooling, whose gradient jumps where a window's two largest values swap.
 */
export const distinctValues64 = (seed: number, shape: Shape): Tensor<'float64'> => {
  const size = shape.reduce((a, b) => a * b, 1);
  const order = permutationValues(key(seed), size);
  const jitter = uniform(key(seed + 1), [size], { dtype: 'float64', minval: 0, maxval: 0.2 }).values;
  return tensor(
    Float64Array.from(order, (rank, i) => (2 * (rank + jitter[i])) / size - 1),
    { shape, dtype: 'float64' },
  );
};
