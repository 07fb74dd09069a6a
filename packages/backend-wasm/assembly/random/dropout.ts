/**
 * Inverted dropout in one pass: draws the mask with Threefry-2x32 exactly as the
 * reference's `bernoulli(key, keep, shape)` draws it, and writes `x · scale` where an
 * element is kept and 0 where it is dropped, as `where(mask, mul(x, scale), 0)` does.
 *
 * The reference takes `2n` random words for `n` elements (`threefryBits(key, 2n)`):
 * counter `i < n` is encrypted as the pair `(i, n + i)`, its first output is word `i`
 * and its second word `n + i`; element `e` reads words `2e` and `2e + 1` as a 52-bit
 * uniform `((w0 >>> 6) · 2²⁶ + (w1 >>> 6)) / 2⁵²` and is kept when that is below `keep`.
 * For even `n`, counters `2a` and `2a + 1` therefore give element `a` (first outputs)
 * and element `n/2 + a` (second outputs): every Threefry output is used once, four
 * counters at a time in SIMD lanes. Odd `n` (rare) goes element by element.
 */
import { control, floatArg, intArg, NEXT_TASK, setFloatArg, setIntArg } from '../threads/control';

const N = 0, X = 1, OUT = 2, KEY0 = 3, KEY1 = 4;
const THRESHOLD = 0, SCALE = 1;

/** Counter pairs (even `n`) or elements (odd `n`) per task. */
const CHUNK: i32 = 4096;

/**
 * Writes a dropout job over `n` float32 elements: kept where the 52-bit uniform is
 * below `threshold` (the keep probability times 2⁵²), scaled by `scale` (rounded to float32).
 */
export function writeDropoutJob(n: i32, x: usize, out: usize, key0: i32, key1: i32, threshold: f64, scale: f64): void {
  setIntArg(N, n); setIntArg(X, <i32>x); setIntArg(OUT, <i32>out); setIntArg(KEY0, key0); setIntArg(KEY1, key1);
  setFloatArg(THRESHOLD, threshold); setFloatArg(SCALE, scale);
  store<i32>(control + NEXT_TASK, 0);
}

/** Claims and runs chunks of the posted dropout job until none is left. */
export function dropoutWork(): void {
  const n = intArg(N);
  const units = (n & 1) == 0 ? n >> 1 : n;
  const tasks = (units + CHUNK - 1) / CHUNK;
  for (let task = atomic.add<i32>(control + NEXT_TASK, 1); task < tasks; task = atomic.add<i32>(control + NEXT_TASK, 1)) {
    const start = task * CHUNK;
    const end = min(units, start + CHUNK);
    if ((n & 1) == 0) pairsRange(start, end);
    else elementsRange(start, end);
  }
}

/** `x · scale` or 0, as the element's two words decide. */
@inline function finish(e: i32, w0: u32, w1: u32): void {
  const at = <usize>e << 2;
  const uniform = <f64>(w0 >>> 6) * 67108864.0 + <f64>(w1 >>> 6);
  const value: f32 = uniform < floatArg(THRESHOLD) ? load<f32>(<usize>intArg(X) + at) * <f32>floatArg(SCALE) : 0;
  store<f32>(<usize>intArg(OUT) + at, value);
}

/**
 * {@link finish} for elements `a`, `a + 1` (the words in `first`'s lanes 0–1 and 2–3) and
 * `b`, `b + 1` (in `second`'s), four lanes at a time: the same 52-bit uniforms (exact
 * integers in double precision), the same comparison, the same float32 product.
 */
@inline function finish4(a: i32, b: i32, first: v128, second: v128, threshold: v128, scale: v128, x: usize, out: usize): void {
  const high = i32x4.shr_u(i32x4.shuffle(first, second, 0, 2, 4, 6), 6);
  const low = i32x4.shr_u(i32x4.shuffle(first, second, 1, 3, 5, 7), 6);
  const lowHalf = f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_u(high), f64x2.splat(67108864.0)), f64x2.convert_low_i32x4_u(low));
  const highHalf = f64x2.add(
    f64x2.mul(f64x2.convert_low_i32x4_u(i32x4.shuffle(high, high, 2, 3, 2, 3)), f64x2.splat(67108864.0)),
    f64x2.convert_low_i32x4_u(i32x4.shuffle(low, low, 2, 3, 2, 3)),
  );
  const keep = i32x4.shuffle(f64x2.lt(lowHalf, threshold), f64x2.lt(highHalf, threshold), 0, 2, 4, 6);
  const atA = <usize>a << 2, atB = <usize>b << 2;
  const values = v128.load64_lane(x + atB, v128.load64_zero(x + atA), 1);
  const kept = v128.and(f32x4.mul(values, scale), keep);
  v128.store64_lane(out + atA, kept, 0);
  v128.store64_lane(out + atB, kept, 1);
}

/** A Threefry round's new second word, `rotl(b, r) ^ a`, in four lanes (`a` already has `b` added). */
@inline function mix(a: v128, b: v128, r: i32): v128 {
  return v128.xor(v128.or(i32x4.shl(b, r), i32x4.shr_u(b, 32 - r)), a);
}

/** Counter pairs `start .. end − 1` (even `n`): pair `a` gives elements `a` and `n/2 + a`. */
function pairsRange(start: i32, end: i32): void {
  const half = intArg(N) >> 1;
  const k0 = <u32>intArg(KEY0), k1 = <u32>intArg(KEY1), k2 = k0 ^ k1 ^ 0x1bd11bda;
  const ks0 = i32x4.splat(k0), ks1 = i32x4.splat(k1), ks2 = i32x4.splat(k2);
  const n = i32x4.splat(intArg(N));
  const threshold = f64x2.splat(floatArg(THRESHOLD)), scale = f32x4.splat(<f32>floatArg(SCALE));
  const x = <usize>intArg(X), out = <usize>intArg(OUT);
  let a = start;
  for (; a + 2 <= end; a += 2) {
    const counters = i32x4.add(i32x4.splat(2 * a), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
    let x0 = i32x4.add(counters, ks0);
    let x1 = i32x4.add(i32x4.add(counters, n), ks1);
    // Groups 0..4: rotations 13 15 26 6 and 17 29 16 24 alternate; key injection after each.
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 13);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 15);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 26);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 6);
    x0 = i32x4.add(x0, ks1); x1 = i32x4.add(x1, i32x4.add(ks2, i32x4.splat(1)));
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 17);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 29);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 16);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 24);
    x0 = i32x4.add(x0, ks2); x1 = i32x4.add(x1, i32x4.add(ks0, i32x4.splat(2)));
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 13);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 15);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 26);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 6);
    x0 = i32x4.add(x0, ks0); x1 = i32x4.add(x1, i32x4.add(ks1, i32x4.splat(3)));
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 17);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 29);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 16);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 24);
    x0 = i32x4.add(x0, ks1); x1 = i32x4.add(x1, i32x4.add(ks2, i32x4.splat(4)));
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 13);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 15);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 26);
    x0 = i32x4.add(x0, x1); x1 = mix(x0, x1, 6);
    x0 = i32x4.add(x0, ks2); x1 = i32x4.add(x1, i32x4.add(ks0, i32x4.splat(5)));
    finish4(a, half + a, x0, x1, threshold, scale, x, out);
  }
  if (a < end) {
    const n1 = <u32>intArg(N);
    const c = <u32>(2 * a);
    finish(a, threefry(k0, k1, c, n1 + c, 0), threefry(k0, k1, c + 1, n1 + c + 1, 0));
    finish(half + a, threefry(k0, k1, c, n1 + c, 1), threefry(k0, k1, c + 1, n1 + c + 1, 1));
  }
}

/** Elements `start .. end − 1` of an odd `n`, each from its two words. */
function elementsRange(start: i32, end: i32): void {
  for (let e = start; e < end; e++) finish(e, word(<u32>(2 * e)), word(<u32>(2 * e + 1)));
}

/** Word `w` of the reference's `2n` words: first output of counter `w`, or second output of counter `w − n`. */
function word(w: u32): u32 {
  const n = <u32>intArg(N);
  const k0 = <u32>intArg(KEY0), k1 = <u32>intArg(KEY1);
  return w < n ? threefry(k0, k1, w, n + w, 0) : threefry(k0, k1, w - n, w, 1);
}

/** Output `which` (0 or 1) of Threefry-2x32 with 20 rounds for the counter pair `(x0, x1)`, one lane. */
function threefry(k0: u32, k1: u32, x0: u32, x1: u32, which: i32): u32 {
  let a = x0 + k0;
  let b = x1 + k1;
  for (let group = 0; group < 5; group++) {
    const even = (group & 1) == 0;
    a += b; b = rotl<u32>(b, even ? 13 : 17) ^ a;
    a += b; b = rotl<u32>(b, even ? 15 : 29) ^ a;
    a += b; b = rotl<u32>(b, even ? 26 : 16) ^ a;
    a += b; b = rotl<u32>(b, even ? 6 : 24) ^ a;
    a += keyWord(k0, k1, (group + 1) % 3);
    b += keyWord(k0, k1, (group + 2) % 3) + <u32>group + 1;
  }
  return which == 0 ? a : b;
}

/** Word `i` of the extended key `(k0, k1, k0 ^ k1 ^ 0x1bd11bda)`. */
@inline function keyWord(k0: u32, k1: u32, i: i32): u32 {
  return i == 0 ? k0 : i == 1 ? k1 : k0 ^ k1 ^ 0x1bd11bda;
}
