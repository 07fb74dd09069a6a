import type { Conv2DGeometry } from '../backend.js';
import { allocateLike } from '../../core/dtype.js';
import { multiplyPacked, packA, packB } from './matmul.js';

type FloatArray = Float32Array | Float64Array;

// Convolution as matrix products over patches (im2col): row `i` of the patch matrix is
// output pixel `i` (batch, row, column), column `p` is tap `(kh, kw, c)`, so the kernel
// `[fh, fw, in, out]` is already the `[taps, out]` matrix and the NHWC output the
// `[pixels, out]` product. Patches are written straight into the packed panel layout of
// `matmul.ts` (no separate im2col copy), a chunk of pixels at a time so that the panel
// stays in cache and memory stays bounded.

/** Elements of packed patches per chunk: about 1 MiB of float32, so a chunk stays in cache. */
const CHUNK_ELEMENTS = 1 << 18;

/** Pixels per chunk for `taps` taps: a multiple of 4 (one panel), at least one panel. */
const chunkPixels = (taps: number): number => Math.max(4, (Math.floor(CHUNK_ELEMENTS / taps) >> 2) << 2);

/**
 * Calls `visit(row, inputOffset, tapOffset)` for every in-bounds tap of every output
 * pixel `first .. first + count − 1`: `row` counts from 0 within the chunk,
 * `inputOffset` is where the tap's channels start in `x`, `tapOffset` where they start
 * in a patch row. Out-of-bounds taps are padding and are skipped.
 */
const forEachTap = (
  g: Conv2DGeometry,
  first: number,
  count: number,
  visit: (row: number, inputOffset: number, tapOffset: number) => void,
): void => {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = g;
  const pixelsPerImage = outHeight * outWidth;
  for (let row = 0; row < count; row++) {
    const pixel = first + row;
    const b = Math.floor(pixel / pixelsPerImage);
    const within = pixel - b * pixelsPerImage;
    const oy = Math.floor(within / outWidth);
    const ox = within - oy * outWidth;
    const top = oy * g.strideHeight - g.padTop;
    const left = ox * g.strideWidth - g.padLeft;
    for (let kh = 0; kh < filterHeight; kh++) {
      const iy = top + kh * g.dilationHeight;
      if (iy < 0 || iy >= inHeight) continue;
      const rowBase = (b * inHeight + iy) * inWidth;
      for (let kw = 0; kw < filterWidth; kw++) {
        const ix = left + kw * g.dilationWidth;
        if (ix < 0 || ix >= inWidth) continue;
        visit(row, (rowBase + ix) * inChannels, (kh * filterWidth + kw) * inChannels);
      }
    }
  }
};

/** Writes the patches of pixels `first ..` as op(A) panels (`[pixels, taps]`) for {@link multiplyPacked}. */
const packPatches = (
  x: FloatArray,
  g: Conv2DGeometry,
  first: number,
  count: number,
  taps: number,
  packed: FloatArray,
): void => {
  packed.fill(0, 0, Math.ceil(count / 4) * 4 * taps);
  const channels = g.inChannels;
  forEachTap(g, first, count, (row, src, tap) => {
    let dst = (row >> 2) * 4 * taps + (row & 3) + tap * 4;
    for (let c = 0; c < channels; c++, dst += 4) packed[dst] = x[src + c];
  });
};

/** Writes the patches of pixels `first ..` transposed (`[taps, pixels]`) as op(A) panels. */
const packPatchesTransposed = (
  x: FloatArray,
  g: Conv2DGeometry,
  first: number,
  count: number,
  taps: number,
  packed: FloatArray,
): void => {
  packed.fill(0, 0, Math.ceil(taps / 4) * 4 * count);
  const channels = g.inChannels;
  forEachTap(g, first, count, (row, src, tap) => {
    for (let c = 0; c < channels; c++) {
      const p = tap + c;
      packed[(p >> 2) * 4 * count + (p & 3) + row * 4] = x[src + c];
    }
  });
};

const tapsOf = (g: Conv2DGeometry): number => g.filterHeight * g.filterWidth * g.inChannels;
const pixelsOf = (g: Conv2DGeometry): number => g.batch * g.outHeight * g.outWidth;

/**
 * `y = patches(x) · kernel`: the forward convolution, NHWC. Sums are accumulated in
 * double precision (the matmul micro-kernel's registers).
 */
export const conv2dValues = (x: FloatArray, kernel: FloatArray, g: Conv2DGeometry): FloatArray => {
  const taps = tapsOf(g);
  const pixels = pixelsOf(g);
  const n = g.outChannels;
  const out = allocateLike(x, pixels * n);
  const packedKernel = allocateLike(kernel, Math.ceil(n / 4) * 4 * taps);
  packB(kernel, 0, taps, n, false, packedKernel);
  const chunk = Math.min(chunkPixels(taps), Math.ceil(pixels / 4) * 4);
  const packed = allocateLike(x, chunk * taps);
  for (let first = 0; first < pixels; first += chunk) {
    const count = Math.min(chunk, pixels - first);
    packPatches(x, g, first, count, taps, packed);
    multiplyPacked(packed, packedKernel, out, first * n, count, taps, n);
  }
  return out;
};

/**
 * `dx = col2im(dy · kernelᵀ)`: each pixel's patch gradient added back onto the input
 * elements it was read from, accumulated in double precision.
 */
export const conv2dBackpropInputValues = (dy: FloatArray, kernel: FloatArray, g: Conv2DGeometry): FloatArray => {
  const taps = tapsOf(g);
  const pixels = pixelsOf(g);
  const n = g.outChannels;
  const channels = g.inChannels;
  const sums = new Float64Array(g.batch * g.inHeight * g.inWidth * channels);
  const packedKernelT = allocateLike(kernel, Math.ceil(taps / 4) * 4 * n);
  // op(B) = kernelᵀ, `[out, taps]`, from the kernel stored `[taps, out]`.
  packB(kernel, 0, n, taps, true, packedKernelT);
  const chunk = Math.min(chunkPixels(Math.max(taps, n)), Math.ceil(pixels / 4) * 4);
  const packedDy = allocateLike(dy, chunk * n);
  const patchGrads = new Float64Array(chunk * taps);
  for (let first = 0; first < pixels; first += chunk) {
    const count = Math.min(chunk, pixels - first);
    packA(dy, first * n, count, n, false, packedDy);
    multiplyPacked(packedDy, packedKernelT, patchGrads, 0, count, n, taps);
    forEachTap(g, first, count, (row, dst, tap) => {
      const src = row * taps + tap;
      for (let c = 0; c < channels; c++) sums[dst + c] += patchGrads[src + c];
    });
  }
  const out = allocateLike(dy, sums.length);
  out.set(sums);
  return out;
};

/** `dkernel = patches(x)ᵀ · dy`, summed over chunks of pixels in double precision. */
export const conv2dBackpropFilterValues = (x: FloatArray, dy: FloatArray, g: Conv2DGeometry): FloatArray => {
  const taps = tapsOf(g);
  const pixels = pixelsOf(g);
  const n = g.outChannels;
  const sums = new Float64Array(taps * n);
  const chunk = Math.min(chunkPixels(Math.max(taps, n)), Math.ceil(pixels / 4) * 4);
  const packedPatches = allocateLike(x, Math.ceil(taps / 4) * 4 * chunk);
  const packedDy = allocateLike(dy, Math.ceil(n / 4) * 4 * chunk);
  const partial = new Float64Array(taps * n);
  for (let first = 0; first < pixels; first += chunk) {
    const count = Math.min(chunk, pixels - first);
    packPatchesTransposed(x, g, first, count, taps, packedPatches);
    packB(dy, first * n, count, n, false, packedDy);
    multiplyPacked(packedPatches, packedDy, partial, 0, taps, count, n);
    for (let i = 0; i < partial.length; i++) sums[i] += partial[i];
  }
  const out = allocateLike(dy, sums.length);
  out.set(sums);
  return out;
};
