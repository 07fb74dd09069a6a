/**
 * The matrix product when op(A) is mostly zeros: MNIST's pixels (about 80% zero), ReLU's
 * outputs and the gradients ReLU's derivative masks (about half). Each row of op(A) is
 * first listed as its nonzero steps (where in op(B) each step's row is, and the value),
 * without branches; then the row of C is the sum over that list, eight vectors of columns
 * at a time.
 *
 * Bit-identical to the dense product (`gemm.ts`): there every element of C is
 * `madd(a[p], b[p], acc)` for p = 0 .. k-1 in order, starting from +0 (its blocks of k
 * store and reload the float32 sum, which changes nothing). Here it is the same sequence
 * with the steps whose `a[p]` is ±0 left out, and `madd(±0, b, acc)` is `acc` whenever
 * `b` is finite and `acc` is not -0. So:
 * - B must be finite (0 · inf is NaN): {@link zeroSkipPlan} scans it whole and otherwise
 *   sends the product to the dense kernel.
 * - An accumulator that starts at +0 becomes -0 only where a fused multiply-add rounds a
 *   nonzero result to zero, which needs a product below 2^-102 in magnitude (a rounded
 *   multiply and add never do it: sums of floats that small are exact). With fused
 *   multiply-adds, a row of op(A) skips its zeros only if its smallest nonzero value
 *   times B's smallest nonzero value is at least 2^-100 (judged from exponent fields);
 *   any other row lists every step, which is the dense sum exactly.
 *
 * Every output row is computed by one task, in a fixed order, so results are also the
 * same for any number of threads.
 */
import { madd } from './microkernel';
import { interleaveHigh, interleaveLow, joinHigh, joinLow } from './pack';
import { finishBlock, LINEAR } from '../elementwise/activation';
import { storeLanes } from '../elementwise/partial-vector';
import { control, intArg, NEXT_TASK, setIntArg } from '../threads/control';

/** Rows of C per task (and per scan of a transposed A: one vector of its rows). */
const ROWS: i32 = 4;

// Positions of the job's integer arguments in the control block.
const A = 0, B = 1, C = 2, BATCH = 3, M = 4, K = 5, N = 6, TRANSPOSE_A = 7, A_STRIDE = 8, B_STRIDE = 9;
const B_LINE = 10, BIAS = 11, ACTIVATION = 12, LISTS = 13, LIST_BYTES = 14, MIN_EXPONENT = 15;

/**
 * A's zero share is judged from at most this many vectors, one every few: reading all of
 * a large A (the convolutions' patches, 17 MB) costs more than the choice saves.
 */
const SAMPLES: i32 = 4096;

// A row's list: its length (an i32, then padding to 16 bytes), the byte offsets in B' of
// its nonzero steps' rows (room for k + 4: whole vectors are stored past the end), then
// their values (as much room).

/** Bytes of one row's list. */
@inline function listStride(k: i32): i32 {
  return 16 + (((k + 4) * 8 + 15) & ~15);
}

@inline function valuesOf(list: usize, k: i32): usize {
  return list + 16 + (<usize>(k + 4) << 2);
}

/**
 * For each mask of nonzero lanes, the `i8x16.swizzle` that moves those lanes to the front
 * in order (128: a zero byte), so that a vector's nonzeros are appended without branches.
 */
const COMPACT: usize = memory.data<u8>([
  128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  4, 5, 6, 7, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 4, 5, 6, 7, 128, 128, 128, 128, 128, 128, 128, 128,
  8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128,
  4, 5, 6, 7, 8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 128, 128, 128, 128,
  12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128,
  4, 5, 6, 7, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 128, 128, 128, 128,
  8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128,
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
]);

/** Bytes of list room one thread needs for a product of depth `k`. */
export function sparseListBytes(k: i32): i32 {
  return ROWS * listStride(k);
}

/**
 * Whether and how `C = op(A)·op(B)` skips A's zeros, given A's `aCount` values at `a`
 * and B's `bCount` at `b`: -1 for the dense product (fewer than `minZeroShare` of A's
 * sampled values are ±0, or B holds an infinity, a NaN or, with fused multiply-adds, a
 * subnormal); else the smallest exponent field that a row of op(A)'s nonzero values may
 * have for the row to skip its zeros. Depends on the values alone, so the choice is the
 * same on every run and any number of threads.
 */
export function zeroSkipPlan(a: usize, aCount: i32, b: usize, bCount: i32, minZeroShare: f64): i32 {
  if (aCount == 0 || bCount == 0) return -1;
  if (minZeroShare > 0) {
    const vectors = aCount >> 2;
    // An odd step, so that it does not fall in step with A's rows.
    const step = vectors <= SAMPLES ? 1 : (vectors / SAMPLES) | 1;
    const sampled = vectors == 0 ? aCount : (vectors + step - 1) / step * 4;
    if (<f64>sampledZeros(a, aCount, step) < minZeroShare * <f64>sampled) return -1;
  }
  // Over B's magnitudes: the largest, and the smallest nonzero one less one (all ones when B is all zeros).
  const one = i32x4.splat(1), magnitude = i32x4.splat(0x7fffffff);
  let high = i32x4.splat(0), low = i32x4.splat(-1);
  const whole = bCount & ~3;
  const end = b + (<usize>whole << 2);
  for (let at = b; at < end; at += 16) {
    const bits = v128.and(v128.load(at), magnitude);
    high = i32x4.max_u(high, bits);
    low = i32x4.min_u(low, i32x4.sub(bits, one));
  }
  let hi = max(max(<u32>i32x4.extract_lane(high, 0), <u32>i32x4.extract_lane(high, 1)), max(<u32>i32x4.extract_lane(high, 2), <u32>i32x4.extract_lane(high, 3)));
  let lo = min(min(<u32>i32x4.extract_lane(low, 0), <u32>i32x4.extract_lane(low, 1)), min(<u32>i32x4.extract_lane(low, 2), <u32>i32x4.extract_lane(low, 3)));
  for (let i = whole; i < bCount; i++) {
    const bits = load<u32>(b + (<usize>i << 2)) & 0x7fffffff;
    hi = max(hi, bits);
    lo = min(lo, bits - 1);
  }
  if (hi >= 0x7f800000) return -1;
  if (!ASC_FEATURE_RELAXED_SIMD || lo == 0xffffffff) return 0;
  const bMin = <i32>((lo + 1) >>> 23);
  // Normal values are at least 2^(field - 127): products of nonzero values are at least
  // 2^-100 when the two fields add up to 154. Subnormals (field 0) never qualify.
  return bMin == 0 ? -1 : max(1, 154 - bMin);
}

/** Zeros among one vector in every `step` of the `count` floats at `x` (all of them when there are fewer than four). */
function sampledZeros(x: usize, count: i32, step: i32): i32 {
  if (count < 4) {
    let zeros = 0;
    for (let i = 0; i < count; i++) zeros += <i32>(load<f32>(x + (<usize>i << 2)) == 0);
    return zeros;
  }
  let lanes = i32x4.splat(0);
  const zero = f32x4.splat(0);
  const end = x + (<usize>(count >> 2) << 4);
  const stride = <usize>step << 4;
  for (let at = x; at < end; at += stride) lanes = i32x4.sub(lanes, f32x4.eq(v128.load(at), zero));
  return i32x4.extract_lane(lanes, 0) + i32x4.extract_lane(lanes, 1) + i32x4.extract_lane(lanes, 2) + i32x4.extract_lane(lanes, 3);
}

/**
 * Packs op(B) as `k` rows of `line` floats (`line` is n rounded up to four, the padding
 * zero) at `dst`, for a transposed B or one whose rows are not whole vectors.
 * op(B)[p, j] is at `b + 4 (j·bLine + p·bStep)`.
 */
export function packRows(b: usize, k: i32, n: i32, bLine: i32, bStep: i32, line: i32, dst: usize): void {
  let p = 0;
  if (bStep == 1) {
    // B transposed: four columns of op(B) (rows of B) at a time, four steps by 4x4 transposes.
    const lineBytes = <usize>bLine << 2, dstLine = <usize>line << 2;
    for (; p + 4 <= k; p += 4) {
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const r0 = b + (<usize>(j * bLine + p) << 2), r1 = r0 + lineBytes, r2 = r1 + lineBytes, r3 = r2 + lineBytes;
        const lo01 = interleaveLow(v128.load(r0), v128.load(r1)), hi01 = interleaveHigh(v128.load(r0), v128.load(r1));
        const lo23 = interleaveLow(v128.load(r2), v128.load(r3)), hi23 = interleaveHigh(v128.load(r2), v128.load(r3));
        const to = dst + (<usize>(p * line + j) << 2);
        v128.store(to, joinLow(lo01, lo23));
        v128.store(to + dstLine, joinHigh(lo01, lo23));
        v128.store(to + 2 * dstLine, joinLow(hi01, hi23));
        v128.store(to + 3 * dstLine, joinHigh(hi01, hi23));
      }
      for (let q = p; q < p + 4; q++) packRowTail(b, q, j, n, bLine, bStep, line, dst);
    }
  }
  for (; p < k; p++) packRowTail(b, p, 0, n, bLine, bStep, line, dst);
}

/** Row `p` of the packed op(B), columns `from .. line`, element by element. */
function packRowTail(b: usize, p: i32, from: i32, n: i32, bLine: i32, bStep: i32, line: i32, dst: usize): void {
  const row = dst + (<usize>(p * line) << 2);
  for (let j = from; j < line; j++) store<f32>(row + (<usize>j << 2), j < n ? load<f32>(b + (<usize>(j * bLine + p * bStep) << 2)) : 0);
}

/**
 * Writes a zero-skipping product job: `C[t] = activation(op(A[t]) · B'[t] + bias)`, where
 * B' holds `k` rows of `bLine` floats (n or more, a multiple of four) and the strides are
 * in floats (0 reuses one matrix). `lists` is `sparseListBytes(k)` of room per thread;
 * `minExponent` is {@link zeroSkipPlan}'s.
 */
export function writeSparseJob(
  a: usize, b: usize, c: usize, batch: i32, m: i32, k: i32, n: i32, transposeA: bool,
  aStride: i32, bStride: i32, bLine: i32, bias: usize, activation: i32, lists: usize, minExponent: i32,
): void {
  setIntArg(A, <i32>a); setIntArg(B, <i32>b); setIntArg(C, <i32>c);
  setIntArg(BATCH, batch); setIntArg(M, m); setIntArg(K, k); setIntArg(N, n);
  setIntArg(TRANSPOSE_A, <i32>transposeA); setIntArg(A_STRIDE, aStride); setIntArg(B_STRIDE, bStride);
  setIntArg(B_LINE, bLine); setIntArg(BIAS, <i32>bias); setIntArg(ACTIVATION, activation);
  setIntArg(LISTS, <i32>lists); setIntArg(LIST_BYTES, sparseListBytes(k)); setIntArg(MIN_EXPONENT, minExponent);
  store<i32>(control + NEXT_TASK, 0);
}

/** Claims and runs tasks of the posted zero-skipping product until none is left. */
export function sparseWork(thread: i32): void {
  const m = intArg(M), k = intArg(K), n = intArg(N), batch = intArg(BATCH);
  const blocks = (m + ROWS - 1) / ROWS;
  const tasks = batch * blocks;
  const listBytes = intArg(LIST_BYTES);
  const lists = <usize>intArg(LISTS) + <usize>(thread * listBytes);
  const transposeA = intArg(TRANSPOSE_A) != 0;
  const aStride = <usize>intArg(A_STRIDE) << 2, bStride = <usize>intArg(B_STRIDE) << 2;
  const bLineBytes = intArg(B_LINE) << 2;
  const bias = <usize>intArg(BIAS), activation = intArg(ACTIVATION);
  const minExponent = intArg(MIN_EXPONENT);
  for (let task = atomic.add<i32>(control + NEXT_TASK, 1); task < tasks; task = atomic.add<i32>(control + NEXT_TASK, 1)) {
    const entry = task / blocks;
    const i0 = (task % blocks) * ROWS;
    const rows = min(ROWS, m - i0);
    const a = <usize>intArg(A) + <usize>entry * aStride;
    const b = <usize>intArg(B) + <usize>entry * bStride;
    if (transposeA) listColumns(a, m, k, i0, rows, bLineBytes, lists, minExponent);
    for (let r = 0; r < rows; r++) {
      const list = lists + <usize>(r * listStride(k));
      if (!transposeA) listRow(a + (<usize>((i0 + r) * k) << 2), k, bLineBytes, list, minExponent);
      const row = <usize>intArg(C) + (<usize>((entry * m + i0 + r) * n) << 2);
      sumRow(list, k, b, n, row);
      if (bias != 0 || activation != LINEAR) {
        // In blocks of eight columns, as the dense product's tiles finish, so both round alike.
        for (let j = 0; j < n; j += 8) {
          finishBlock(row + (<usize>j << 2), 0, 1, min(8, n - j), bias != 0 ? bias + (<usize>j << 2) : 0, activation);
        }
      }
    }
  }
}

/**
 * Lists the nonzero steps of one row of A (`k` consecutive floats at `row`), or every
 * step if a nonzero value's exponent field is below `minExponent`.
 */
function listRow(row: usize, k: i32, bLineBytes: i32, list: usize, minExponent: i32): void {
  const offsets = list + 16, values = valuesOf(list, k);
  const zero = f32x4.splat(0), one = i32x4.splat(1), magnitude = i32x4.splat(0x7fffffff);
  let at = i32x4(0, bLineBytes, 2 * bLineBytes, 3 * bLineBytes);
  const step = i32x4.splat(4 * bLineBytes);
  // The smallest nonzero magnitude less one, lane by lane.
  let low = i32x4.splat(-1);
  let count = 0, p = 0;
  for (; p + 4 <= k; p += 4) {
    const v = v128.load(row + (<usize>p << 2));
    const mask = i32x4.bitmask(f32x4.ne(v, zero));
    const compact = v128.load(COMPACT + (<usize>mask << 4));
    v128.store(offsets + (<usize>count << 2), i8x16.swizzle(at, compact));
    v128.store(values + (<usize>count << 2), i8x16.swizzle(v, compact));
    count += <i32>popcnt(mask);
    at = i32x4.add(at, step);
    low = i32x4.min_u(low, i32x4.sub(v128.and(v, magnitude), one));
  }
  let lo = min(min(<u32>i32x4.extract_lane(low, 0), <u32>i32x4.extract_lane(low, 1)), min(<u32>i32x4.extract_lane(low, 2), <u32>i32x4.extract_lane(low, 3)));
  for (; p < k; p++) {
    const v = load<f32>(row + (<usize>p << 2));
    store<i32>(offsets + (<usize>count << 2), p * bLineBytes);
    store<f32>(values + (<usize>count << 2), v);
    count += <i32>(v != 0);
    lo = min(lo, (reinterpret<u32>(v) & 0x7fffffff) - 1);
  }
  store<i32>(list, count);
  if (lo != 0xffffffff && <i32>((lo + 1) >>> 23) < minExponent) listEvery(row, 4, k, bLineBytes, list);
}

/** Lists all `k` steps of a row of op(A) whose values are `stepBytes` apart from `from`. */
function listEvery(from: usize, stepBytes: usize, k: i32, bLineBytes: i32, list: usize): void {
  const offsets = list + 16, values = valuesOf(list, k);
  for (let p = 0; p < k; p++) {
    store<i32>(offsets + (<usize>p << 2), p * bLineBytes);
    store<f32>(values + (<usize>p << 2), load<f32>(from + <usize>p * stepBytes));
  }
  store<i32>(list, k);
}

/**
 * Lists the nonzero steps of rows `i0 .. i0 + rows` of op(A) = Aᵀ (A is `k` x `m`),
 * reading A row by row: one vector of the four rows per step. A row with a nonzero
 * value whose exponent field is below `minExponent` lists every step.
 */
function listColumns(a: usize, m: i32, k: i32, i0: i32, rows: i32, bLineBytes: i32, lists: usize, minExponent: i32): void {
  const stride = <usize>listStride(k);
  const lineBytes = <usize>m << 2;
  const at = a + (<usize>i0 << 2);
  if (rows == ROWS) {
    const o0 = lists + 16, o1 = o0 + stride, o2 = o1 + stride, o3 = o2 + stride;
    const v0 = valuesOf(lists, k), v1 = v0 + stride, v2 = v1 + stride, v3 = v2 + stride;
    let n0: usize = 0, n1: usize = 0, n2: usize = 0, n3: usize = 0;
    const zero = f32x4.splat(0), one = i32x4.splat(1), magnitude = i32x4.splat(0x7fffffff);
    let low = i32x4.splat(-1);
    let from = at;
    for (let p = 0; p < k; p++) {
      const v = v128.load(from);
      from += lineBytes;
      const mask = i32x4.bitmask(f32x4.ne(v, zero));
      if (mask == 0) continue;
      low = i32x4.min_u(low, i32x4.sub(v128.and(v, magnitude), one));
      const offset = p * bLineBytes;
      store<i32>(o0 + n0, offset); store<f32>(v0 + n0, f32x4.extract_lane(v, 0)); n0 += <usize>(mask & 1) << 2;
      store<i32>(o1 + n1, offset); store<f32>(v1 + n1, f32x4.extract_lane(v, 1)); n1 += <usize>(mask & 2) << 1;
      store<i32>(o2 + n2, offset); store<f32>(v2 + n2, f32x4.extract_lane(v, 2)); n2 += <usize>(mask & 4);
      store<i32>(o3 + n3, offset); store<f32>(v3 + n3, f32x4.extract_lane(v, 3)); n3 += <usize>(mask & 8) >> 1;
    }
    store<i32>(lists, <i32>(n0 >> 2));
    store<i32>(lists + stride, <i32>(n1 >> 2));
    store<i32>(lists + 2 * stride, <i32>(n2 >> 2));
    store<i32>(lists + 3 * stride, <i32>(n3 >> 2));
    for (let r = 0; r < ROWS; r++) {
      const lo = <u32>i32x4.extract_lane(low, 0);
      low = v128.shuffle<i32>(low, low, 1, 2, 3, 0);
      if (lo != 0xffffffff && <i32>((lo + 1) >>> 23) < minExponent) listEvery(at + (<usize>r << 2), lineBytes, k, bLineBytes, lists + <usize>r * stride);
    }
    return;
  }
  // The last rows of a ragged block, one at a time.
  for (let r = 0; r < rows; r++) {
    const list = lists + <usize>r * stride;
    const offsets = list + 16, values = valuesOf(list, k);
    let count = 0;
    let lo: u32 = 0xffffffff;
    let from = at + (<usize>r << 2);
    for (let p = 0; p < k; p++) {
      const v = load<f32>(from);
      store<i32>(offsets + (<usize>count << 2), p * bLineBytes);
      store<f32>(values + (<usize>count << 2), v);
      count += <i32>(v != 0);
      lo = min(lo, (reinterpret<u32>(v) & 0x7fffffff) - 1);
      from += lineBytes;
    }
    store<i32>(list, count);
    if (lo != 0xffffffff && <i32>((lo + 1) >>> 23) < minExponent) listEvery(at + (<usize>r << 2), lineBytes, k, bLineBytes, list);
  }
}

/**
 * Row `row` of C (`n` floats) = the sum, in list order, of each listed value times its row
 * of B', whose rows hold whole vectors (padded past `n` where needed).
 */
function sumRow(list: usize, k: i32, b: usize, n: i32, row: usize): void {
  const count = load<i32>(list);
  const offsets = list + 16, values = valuesOf(list, k);
  let j = 0;
  // Two call sites of sum8 (not one in a loop) keep binaryen from inlining it here, where
  // V8 would then spill an accumulator in its loop and run at half the speed.
  for (; j + 64 <= n; j += 64) {
    sum8(offsets, values, count, b + (<usize>j << 2), row + (<usize>j << 2));
    sum8(offsets, values, count, b + (<usize>j << 2) + 128, row + (<usize>j << 2) + 128);
  }
  if (j + 32 <= n) {
    sum8(offsets, values, count, b + (<usize>j << 2), row + (<usize>j << 2));
    j += 32;
  }
  for (; j + 4 <= n; j += 4) v128.store(row + (<usize>j << 2), sum1(offsets, values, count, b + (<usize>j << 2)));
  if (j < n) storeLanes(row + (<usize>j << 2), sum1(offsets, values, count, b + (<usize>j << 2)), n - j);
}

/** Thirty-two columns: eight accumulators, one broadcast value and one B vector in registers. */
function sum8(offsets: usize, values: usize, count: i32, b: usize, out: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  const end = <usize>count << 2;
  for (let s: usize = 0; s < end; s += 4) {
    const a = v128.load32_splat(values + s);
    const p = b + <usize>load<i32>(offsets + s);
    c0 = madd(a, v128.load(p), c0); c1 = madd(a, v128.load(p, 16), c1);
    c2 = madd(a, v128.load(p, 32), c2); c3 = madd(a, v128.load(p, 48), c3);
    c4 = madd(a, v128.load(p, 64), c4); c5 = madd(a, v128.load(p, 80), c5);
    c6 = madd(a, v128.load(p, 96), c6); c7 = madd(a, v128.load(p, 112), c7);
  }
  v128.store(out, c0); v128.store(out, c1, 16); v128.store(out, c2, 32); v128.store(out, c3, 48);
  v128.store(out, c4, 64); v128.store(out, c5, 80); v128.store(out, c6, 96); v128.store(out, c7, 112);
}

function sum1(offsets: usize, values: usize, count: i32, b: usize): v128 {
  let c0 = f32x4.splat(0);
  const end = <usize>count << 2;
  for (let s: usize = 0; s < end; s += 4) c0 = madd(v128.load32_splat(values + s), v128.load(b + <usize>load<i32>(offsets + s)), c0);
  return c0;
}
