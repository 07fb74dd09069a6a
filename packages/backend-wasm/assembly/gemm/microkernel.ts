/**
 * The register-blocked heart of the matrix product: a 5x8 block of C held in ten
 * f32x4 accumulators while it streams a packed 5-row panel of A and a packed 8-column
 * panel of B.
 *
 * Why 5x8: V8 keeps at most about thirteen v128 values in registers on x64. Ten
 * accumulators, two B vectors and one broadcast A value fit; 6x8 or 4x12 (twelve
 * accumulators) spill inside the loop and run at half the speed. Each step costs two
 * vector loads of B and five broadcast loads of A (`v128.load32_splat`, which V8
 * lowers to a single `vbroadcastss` that uses no shuffle port) for 40 multiply-adds.
 *
 * Built twice (see asconfig.json): with relaxed SIMD, each multiply-add is one
 * `f32x4.relaxed_madd` (a fused multiply-add on hardware that has one), else a multiply
 * and an add, each rounded. Either way every element of C is the sum of its products in
 * k order, whatever the tiling or the thread that computes it; the two builds may
 * differ in the last bits.
 */

/** Rows of C per micro-tile (the width of a packed A panel). */
export const MR: i32 = 5;
/** Columns of C per micro-tile (the width of a packed B panel). */
export const NR: i32 = 8;

/** `c + a · b`: fused where the module is built with relaxed SIMD. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * `C[0:5, 0:8] (+)= Apanel · Bpanel` over `kc` steps.
 *
 * @param kc - depth of this block.
 * @param pa - A panel: step `p` holds the 5 rows' values at `pa + p·aStep` (20 when packed).
 * @param pb - B panel: step `p` holds the 8 columns' values at `pb + p·bStep` (32 when packed).
 * @param c - address of `C[0, 0]`; rows are `ldc` bytes apart.
 * @param accumulate - continue the sums already in C (a later block of k) instead of starting at zero.
 */
export function microkernel(kc: i32, pa: usize, aStep: usize, pb: usize, bStep: usize, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  if (accumulate) {
    let row = c;
    c00 = v128.load(row); c01 = v128.load(row, 16); row += ldc;
    c10 = v128.load(row); c11 = v128.load(row, 16); row += ldc;
    c20 = v128.load(row); c21 = v128.load(row, 16); row += ldc;
    c30 = v128.load(row); c31 = v128.load(row, 16); row += ldc;
    c40 = v128.load(row); c41 = v128.load(row, 16);
  }
  // One step per iteration: unrolled, binaryen and V8 hoist the second step's loads and
  // the accumulators spill.
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(pa, 16);
    c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    pa += aStep;
    pb += bStep;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16); c += ldc;
  v128.store(c, c40); v128.store(c, c41, 16);
}
