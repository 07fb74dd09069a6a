import fc from 'fast-check';
import { key, mul, sum, tensor, uniform, type Shape, type Tensor } from '@axon/tensor';
import { tieFreeValues } from '@axon/tensor/testing';

/** Shapes of rank 0..maxRank with extents 1..maxExtent. */
export const shapeArb = (maxRank = 3, maxExtent = 4): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: maxExtent }), { minLength: 0, maxLength: maxRank });

/**
 * Two shapes that broadcast together: derived from one output shape by dropping
 * leading axes and setting some extents to 1.
 */
export const broadcastPairArb = (maxRank = 3, maxExtent = 4): fc.Arbitrary<[number[], number[]]> =>
  shapeArb(maxRank, maxExtent).chain((out) => {
    const derived = fc
      .tuple(
        fc.integer({ min: 0, max: out.length }),
        fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      )
      .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
    return fc.tuple(derived, derived);
  });

/** Seeds for PRNG keys. */
export const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/**
 * Float64 values drawn uniformly from `[lo, hi]`, pushed out of `(-gap, gap)` so that
 * gradient checks stay away from kinks at 0.
 */
export const values64 = (seed: number, shape: Shape, lo = -2, hi = 2, gap = 0): Tensor<'float64'> => {
  const raw = uniform(key(seed), shape, { dtype: 'float64', minval: lo, maxval: hi }).values;
  const pushed = raw.map((v) => (Math.abs(v) >= gap ? v : v < 0 ? v - gap : v + gap));
  return tensor(pushed, { shape, dtype: 'float64' });
};

/**
 * A scalar that depends on every element of `y` with its own random weight, so a
 * gradient check sees a non-uniform cotangent.
 */
export const weighted = (y: Tensor, seed: number): Tensor => sum(mul(y, values64(seed + 7919, y.shape, 0.5, 1.5)));

/**
 * Float64 values that never tie with those of another phase (see `tieFreeValues`):
 * operands for maximum, minimum and comparisons.
 */
export const awayFromTies = (seed: number, shape: Shape, phase: number): Tensor<'float64'> =>
  tensor(tieFreeValues(seed, shape, phase), { shape, dtype: 'float64' });

/** A window geometry over small NHWC images: sizes, window, strides, dilation and padding, always with room for the window. */
export interface WindowCase {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly window: [number, number];
  readonly strides: [number, number];
  readonly dilation: [number, number];
  readonly padding: 'valid' | 'same';
  readonly seed: number;
}

const pairArb = (min: number, max: number): fc.Arbitrary<[number, number]> =>
  fc.tuple(fc.integer({ min, max }), fc.integer({ min, max }));

/**
 * Window cases, odd and even sizes alike, so `'same'` often pads unevenly; `maxDilation`
 * 1 gives pooling cases.
 */
export const windowCaseArb = (maxDilation = 2): fc.Arbitrary<WindowCase> =>
  fc
    .record({
      batch: fc.integer({ min: 1, max: 2 }),
      height: fc.integer({ min: 1, max: 7 }),
      width: fc.integer({ min: 1, max: 7 }),
      channels: fc.integer({ min: 1, max: 3 }),
      window: pairArb(1, 3),
      strides: pairArb(1, 3),
      dilation: pairArb(1, maxDilation),
      padding: fc.constantFrom('valid' as const, 'same' as const),
      seed: seedArb,
    })
    .filter(
      (c) =>
        c.padding === 'same' ||
        (c.height >= (c.window[0] - 1) * c.dilation[0] + 1 && c.width >= (c.window[1] - 1) * c.dilation[1] + 1),
    );
