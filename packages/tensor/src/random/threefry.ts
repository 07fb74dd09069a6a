/*
 * Threefry-2x32 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11)
 * with 20 rounds: the counter-based generator JAX uses. A key and a counter map to
 * random bits with no hidden state, which is what makes keys splittable and every
 * draw reproducible.
 */

const ROTATIONS = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
] as const;

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;

/** Encrypts the counter pair `(x0, x1)` under key `(k0, k1)`; all values are uint32. */
export const threefry2x32 = (k0: number, k1: number, x0: number, x1: number): [number, number] => {
  const ks = [k0 >>> 0, k1 >>> 0, (k0 ^ k1 ^ 0x1bd11bda) >>> 0];
  let a = (x0 + ks[0]) >>> 0;
  let b = (x1 + ks[1]) >>> 0;
  for (let group = 0; group < 5; group++) {
    for (const r of ROTATIONS[group % 2]) {
      a = (a + b) >>> 0;
      b = rotl(b, r) ^ a;
    }
    a = (a + ks[(group + 1) % 3]) >>> 0;
    b = (b + ks[(group + 2) % 3] + group + 1) >>> 0;
  }
  return [a, b >>> 0];
};

/**
 * `count` random uint32 words from a key, laid out as JAX's `threefry_2x32` lays out an
 * `iota` counter: the counters are split in two halves that form the pairs, and the
 * outputs are concatenated in the same halves.
 */
export const threefryBits = (k0: number, k1: number, count: number): Uint32Array => {
  const half = Math.ceil(count / 2);
  const padded = new Uint32Array(half * 2);
  for (let i = 0; i < half; i++) {
    // An odd count is padded with a zero counter, as JAX pads it.
    const [y0, y1] = threefry2x32(k0, k1, i, half + i < count ? half + i : 0);
    padded[i] = y0;
    padded[half + i] = y1;
  }
  return count === padded.length ? padded : padded.slice(0, count);
};
