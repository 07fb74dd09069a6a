import { TensorError } from '../core/error.js';
import { threefry2x32, threefryBits } from './threefry.js';

/**
 * A PRNG key: two uint32 words, as in JAX. Keys are values; the same key always gives
 * the same random numbers, so derive a fresh key with {@link split} or {@link foldIn}
 * for every independent draw.
 */
export type PRNGKey = readonly [number, number] & { readonly __brand: 'PRNGKey' };

const makeKey = (hi: number, lo: number): PRNGKey => Object.freeze([hi >>> 0, lo >>> 0]) as unknown as PRNGKey;

/**
 * The key for a seed, matching JAX's `PRNGKey(seed)`: `[seed >> 32, seed & 0xffffffff]`.
 *
 * @example
 * ```ts
 * const k = key(42);
 * const [initKey, dropoutKey] = split(k);
 * ```
 */
export const key = (seed: number): PRNGKey => {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new TensorError('key', `seed must be a non-negative safe integer, got ${seed}`);
  }
  return makeKey(Math.floor(seed / 2 ** 32), seed % 2 ** 32);
};

/**
 * `count` (default 2) new independent keys from one, as JAX's `random.split`.
 */
export const split = (parent: PRNGKey, count = 2): PRNGKey[] => {
  if (!Number.isInteger(count) || count < 1)
    throw new TensorError('split', `count must be a positive integer, got ${count}`);
  const bits = threefryBits(parent[0], parent[1], count * 2);
  return Array.from({ length: count }, (_, i) => makeKey(bits[2 * i], bits[2 * i + 1]));
};

/** A new key derived from `parent` and an integer, e.g. the training step, as JAX's `fold_in`. */
export const foldIn = (parent: PRNGKey, data: number): PRNGKey => {
  if (!Number.isSafeInteger(data) || data < 0)
    throw new TensorError('foldIn', `data must be a non-negative safe integer, got ${data}`);
  const [a, b] = threefry2x32(parent[0], parent[1], Math.floor(data / 2 ** 32), data % 2 ** 32);
  return makeKey(a, b);
};

/** `count` random uint32 words from `k`. */
export const randomBits = (k: PRNGKey, count: number): Uint32Array => threefryBits(k[0], k[1], count);
