import type { MatmulSpec } from '../backend.js';
import { allocateLike } from '../../core/dtype.js';

type FloatArray = Float32Array | Float64Array;

/**
 * Batched matrix product (see {@link MatmulSpec}). Both operands are first packed into
 * panels of four rows of op(A) and four columns of op(B), interleaved along k, so the
 * micro-kernel streams two contiguous arrays and keeps a 4x4 block of the result in
 * registers (16 multiply-adds per 8 loads). Packing also absorbs the transposes.
 * Sums are accumulated in double precision.
 */
export const matmulValues = (a: FloatArray, b: FloatArray, spec: MatmulSpec): FloatArray => {
  const { batch, m, k, n } = spec;
  const out = allocateLike(a, batch * m * n);
  const mPanels = Math.ceil(m / 4);
  const nPanels = Math.ceil(n / 4);
  const packedA = allocateLike(a, mPanels * 4 * k);
  const packedB = allocateLike(b, nPanels * 4 * k);
  for (let t = 0; t < batch; t++) {
    if (t === 0 || spec.aBatched) packA(a, spec.aBatched ? t * m * k : 0, m, k, spec.transposeA, packedA);
    if (t === 0 || spec.bBatched) packB(b, spec.bBatched ? t * k * n : 0, k, n, spec.transposeB, packedB);
    multiplyPacked(packedA, packedB, out, t * m * n, m, k, n);
  }
  return out;
};

/** Packs op(A) (m x k) as `[mPanel][p][r]`, zero-padding the last panel's missing rows. */
export const packA = (
  a: FloatArray,
  base: number,
  m: number,
  k: number,
  transposed: boolean,
  packed: FloatArray,
): void => {
  packed.fill(0);
  // Element (i, p) of op(A) sits at i*k + p, or at p*m + i when A is stored transposed.
  const rowStride = transposed ? 1 : k;
  const colStride = transposed ? m : 1;
  for (let i = 0; i < m; i++) {
    const dst = (i >> 2) * 4 * k + (i & 3);
    const src = base + i * rowStride;
    for (let p = 0; p < k; p++) packed[dst + p * 4] = a[src + p * colStride];
  }
};

/** Packs op(B) (k x n) as `[nPanel][p][c]`, zero-padding the last panel's missing columns. */
export const packB = (
  b: FloatArray,
  base: number,
  k: number,
  n: number,
  transposed: boolean,
  packed: FloatArray,
): void => {
  packed.fill(0);
  const rowStride = transposed ? 1 : n;
  const colStride = transposed ? k : 1;
  for (let j = 0; j < n; j++) {
    const dst = (j >> 2) * 4 * k + (j & 3);
    const src = base + j * colStride;
    for (let p = 0; p < k; p++) packed[dst + p * 4] = b[src + p * rowStride];
  }
};

/**
 * `out[base + i·n + j] = Σ_p A[i][p]·B[p][j]` for A and B packed by {@link packA} and
 * {@link packB} (or written in their panel layout directly, as the convolution kernels do).
 */
export const multiplyPacked = (
  pa: FloatArray,
  pb: FloatArray,
  out: FloatArray,
  base: number,
  m: number,
  k: number,
  n: number,
): void => {
  for (let ip = 0; ip * 4 < m; ip++) {
    const aStart = ip * 4 * k;
    const rows = Math.min(4, m - ip * 4);
    for (let jp = 0; jp * 4 < n; jp++) {
      let ai = aStart;
      let bi = jp * 4 * k;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      let c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let p = 0; p < k; p++, ai += 4, bi += 4) {
        const a0 = pa[ai],
          a1 = pa[ai + 1],
          a2 = pa[ai + 2],
          a3 = pa[ai + 3];
        const b0 = pb[bi],
          b1 = pb[bi + 1],
          b2 = pb[bi + 2],
          b3 = pb[bi + 3];
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
      }
      const cols = Math.min(4, n - jp * 4);
      const o = base + ip * 4 * n + jp * 4;
      if (rows === 4 && cols === 4) {
        out[o] = c00;
        out[o + 1] = c01;
        out[o + 2] = c02;
        out[o + 3] = c03;
        out[o + n] = c10;
        out[o + n + 1] = c11;
        out[o + n + 2] = c12;
        out[o + n + 3] = c13;
        out[o + 2 * n] = c20;
        out[o + 2 * n + 1] = c21;
        out[o + 2 * n + 2] = c22;
        out[o + 2 * n + 3] = c23;
        out[o + 3 * n] = c30;
        out[o + 3 * n + 1] = c31;
        out[o + 3 * n + 2] = c32;
        out[o + 3 * n + 3] = c33;
      } else {
        const block = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[o + r * n + c] = block[r * 4 + c];
      }
    }
  }
};
