import { foldIn, key, permutationValues } from '@axon/tensor';

/**
 * The visiting order of `sampleCount` samples in epoch `epoch` of a run seeded with
 * `seed`: a permutation of `0 .. sampleCount - 1`. It is a pure function of its
 * arguments (threefry keys from `@axon/tensor`: `foldIn(key(seed), epoch)`), so the same
 * seed gives the same order on every run and machine, and every epoch its own order.
 * `seed` and `epoch` must be non-negative safe integers (`key` and `foldIn` throw otherwise).
 *
 * @example
 * ```ts
 * shuffledOrder(42, 0, 5); // e.g. Int32Array [3, 0, 4, 1, 2], the same on every run
 * ```
 */
export const shuffledOrder = (seed: number, epoch: number, sampleCount: number): Int32Array =>
  permutationValues(foldIn(key(seed), epoch), sampleCount);

/**
 * The order `0 .. sampleCount - 1`, for evaluation and for training without shuffling.
 *
 * @example
 * ```ts
 * sequentialOrder(3); // Int32Array [0, 1, 2]
 * ```
 */
export const sequentialOrder = (sampleCount: number): Int32Array =>
  Int32Array.from({ length: sampleCount }, (_, i) => i);
