/**
 * A convolution, its bias and activation, and a max pooling of its output, in one job
 * for inference. The pooling windows must tile the convolution's output (strides equal
 * to the pool size, no padding), so each convolution output is pooled at most once, and
 * outputs no window covers are never computed.
 *
 * A task is one row of pooling windows of one image. For each window and each panel of
 * eight output channels it computes the window's convolution outputs four at a time,
 * their sums held in registers as they read the input's taps and the kernel's packed
 * panel, then finishes them (bias, activation) and keeps each lane's first maximum. The
 * convolution's output, the largest tensor of a small convnet's inference, never leaves
 * the registers and the L1 cache, and neither patches nor packed panels of the input are
 * written where the windows read the image directly (no padding, no dilation across a
 * row: Keras's convnet); elsewhere a task first writes its rows' patches.
 *
 * Bit for bit what the product over patches and the pooling give one after the other:
 * each sum is the product's chain of multiply-adds from zero in tap order (blocks of k
 * only store and reload it, which changes nothing), finished by the product's own
 * `finishBlock`, and each window keeps its first maximum with the pooling's NaN rule.
 * Results are identical whatever the number of threads.
 */
import { control, intArg, NEXT_TASK, setIntArg } from '../threads/control';
import { madd, NR } from '../gemm/microkernel';
import { finishBlock, LINEAR, RELU } from '../elementwise/activation';
import { storeLanes } from '../elementwise/partial-vector';
import {
  dilationHeight, dilationWidth, filterHeight, filterWidth, inChannels, inHeight, inWidth, outChannels, padLeft,
  padTop, readGeometry, strideHeight, strideWidth,
} from './geometry';
import { writePatchRows } from './patches';

const GEOMETRY = 0, X = 1, PANELS_B = 2, BIAS = 3, ACTIVATION = 4, POOL_HEIGHT = 5, POOL_WIDTH = 6;
const POOLED_HEIGHT = 7, POOLED_WIDTH = 8, OUT = 9, SCRATCH = 10, SCRATCH_BYTES = 11, IMAGES = 12;

/** Pixels whose convolution outputs are computed together, by a panel of eight channels: eight accumulators. */
const GROUP: i32 = 4;
/** Bytes of a group's tile: `GROUP` rows of a panel's eight floats. */
const TILE_BYTES: i32 = GROUP * NR * 4;

/**
 * Bytes of scratch one thread needs: a group's tile, a window's pixel offsets, then room
 * for the patches of one task's convolution rows (the pool's height of rows, the columns
 * its windows cover).
 */
export function convPoolScratchBytes(taps: i32, poolHeight: i32, poolWidth: i32, pooledWidth: i32): i32 {
  return TILE_BYTES + poolHeight * poolWidth * 4 + poolHeight * pooledWidth * poolWidth * taps * 4;
}

/**
 * Writes a fused convolution and max-pooling job over `images` images: `panelsB` is the
 * kernel packed in B panels, `bias` 0 or the address of the output channels' biases,
 * and each thread's scratch is `scratchBytes` bytes at `scratch + thread · scratchBytes`.
 */
export function writeConvPoolJob(
  geometry: usize, x: usize, panelsB: usize, bias: usize, activation: i32, poolHeight: i32, poolWidth: i32,
  pooledHeight: i32, pooledWidth: i32, out: usize, scratch: usize, scratchBytes: i32, images: i32,
): void {
  setIntArg(GEOMETRY, <i32>geometry); setIntArg(X, <i32>x); setIntArg(PANELS_B, <i32>panelsB);
  setIntArg(BIAS, <i32>bias); setIntArg(ACTIVATION, activation);
  setIntArg(POOL_HEIGHT, poolHeight); setIntArg(POOL_WIDTH, poolWidth);
  setIntArg(POOLED_HEIGHT, pooledHeight); setIntArg(POOLED_WIDTH, pooledWidth);
  setIntArg(OUT, <i32>out); setIntArg(SCRATCH, <i32>scratch); setIntArg(SCRATCH_BYTES, scratchBytes);
  setIntArg(IMAGES, images);
  store<i32>(control + NEXT_TASK, 0);
}

// The posted job as this thread sees it (module globals are per instance).
let panelsB: usize, bias: usize, activation: i32, finish: bool;
let poolHeight: i32, poolWidth: i32, pooledHeight: i32, pooledWidth: i32;
/** Where a pixel's taps are read: `tapRows` runs of `tapRun` floats, `tapRowBytes` apart. */
let tapRows: i32, tapRun: i32, tapRowBytes: usize;

/** Claims and runs tasks of the posted job: one row of pooling windows of one image each. */
export function convPoolWork(thread: i32): void {
  readGeometry(<usize>intArg(GEOMETRY));
  const x = <usize>intArg(X);
  panelsB = <usize>intArg(PANELS_B); bias = <usize>intArg(BIAS); activation = intArg(ACTIVATION);
  finish = bias != 0 || activation != LINEAR;
  poolHeight = intArg(POOL_HEIGHT); poolWidth = intArg(POOL_WIDTH);
  pooledHeight = intArg(POOLED_HEIGHT); pooledWidth = intArg(POOLED_WIDTH);
  const out = <usize>intArg(OUT);
  const tile = <usize>intArg(SCRATCH) + <usize>thread * <usize>intArg(SCRATCH_BYTES);
  const offsets = tile + TILE_BYTES;
  const patches = offsets + (<usize>(intArg(POOL_HEIGHT) * intArg(POOL_WIDTH)) << 2);
  const taps = filterHeight * filterWidth * inChannels;
  const columns = pooledWidth * poolWidth;
  const runBytes = <usize>inChannels << 2;
  const imageBytes = <usize>(inHeight * inWidth) * runBytes;
  const outRowBytes = <usize>(pooledWidth * outChannels) << 2;
  // Whether every window's taps lie inside the image along a row, as one run.
  const columnsInside = dilationWidth == 1 && padLeft == 0 && (columns - 1) * strideWidth + filterWidth <= inWidth;
  const tasks = intArg(IMAGES) * pooledHeight;
  for (let task = atomic.add<i32>(control + NEXT_TASK, 1); task < tasks; task = atomic.add<i32>(control + NEXT_TASK, 1)) {
    const image = x + <usize>(task / pooledHeight) * imageBytes;
    const top = (task % pooledHeight) * poolHeight;
    const firstRow = top * strideHeight - padTop;
    const lastRow = (top + poolHeight - 1) * strideHeight - padTop + (filterHeight - 1) * dilationHeight;
    // A pixel's taps: read from the image where they all lie inside it, else from its patch.
    let pixels: usize, pixelBytes: usize, pixelRowBytes: usize;
    if (columnsInside && firstRow >= 0 && lastRow < inHeight) {
      tapRows = filterHeight; tapRun = filterWidth * inChannels; tapRowBytes = <usize>(dilationHeight * inWidth) * runBytes;
      pixels = image + <usize>firstRow * <usize>inWidth * runBytes;
      pixelBytes = <usize>strideWidth * runBytes;
      pixelRowBytes = <usize>(strideHeight * inWidth) * runBytes;
    } else {
      for (let r = 0; r < poolHeight; r++) writePatchRows(image, top + r, columns, patches + <usize>(r * columns * taps) * 4);
      tapRows = 1; tapRun = taps; tapRowBytes = 0;
      pixels = patches;
      pixelBytes = <usize>taps << 2;
      pixelRowBytes = <usize>columns * pixelBytes;
    }
    poolRow(pixels, pixelBytes, pixelRowBytes, tile, offsets, out + <usize>task * outRowBytes);
  }
}

/**
 * One row of pooling windows: for each window and each panel of output channels, the
 * first maximum of the window's finished convolution outputs, stored at `out`. Pixel
 * `(r, c)` of the task (row `r` of its window rows, column `c`) reads its taps from
 * `pixels + r · pixelRowBytes + c · pixelBytes`; `offsets` has room for a window's
 * pixels' offsets, `tile` for a group's outputs.
 */
function poolRow(pixels: usize, pixelBytes: usize, pixelRowBytes: usize, tile: usize, offsets: usize, out: usize): void {
  const windowPixels = poolHeight * poolWidth;
  // Each pixel's offset from its window's corner, in the window's row-major order.
  for (let i = 0; i < windowPixels; i++)
    store<usize>(offsets + (<usize>i << 2), <usize>(i / poolWidth) * pixelRowBytes + <usize>(i % poolWidth) * pixelBytes);
  const panels = (outChannels + NR - 1) / NR;
  const panelBytes = <usize>(NR * filterHeight * filterWidth * inChannels) << 2;
  const rows = tapRows, run = tapRun, rowBytes = tapRowBytes;
  const zero = f32x4.splat(0);
  for (let px = 0; px < pooledWidth; px++) {
    const window = pixels + <usize>(px * poolWidth) * pixelBytes;
    for (let jp = 0; jp < panels; jp++) {
      const width = min(NR, outChannels - jp * NR);
      const panelBias = bias != 0 ? bias + (<usize>(jp * NR) << 2) : 0;
      // finishBlock's vector path, applied in registers; other finishes go through it.
      const inRegisters = !finish || (width == NR && activation <= RELU);
      const bias0 = panelBias != 0 ? v128.load(panelBias) : zero, bias1 = panelBias != 0 ? v128.load(panelBias, 16) : zero;
      const panel = panelsB + <usize>jp * panelBytes;
      let best0 = zero, best1 = zero;
      for (let first = 0; first < windowPixels; first += GROUP) {
        const count = min(GROUP, windowPixels - first);
        // The group's pixels in the window's order; absent ones repeat the last.
        const at = offsets + (<usize>first << 2), last = <usize>(count - 1) << 2;
        const p0 = window + load<usize>(at);
        const p1 = window + load<usize>(at + min<usize>(4, last));
        const p2 = window + load<usize>(at + min<usize>(8, last));
        const p3 = window + load<usize>(at + min<usize>(12, last));
        // Each sum the product's chain of multiply-adds from zero, in tap order.
        let c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        let pb = panel;
        for (let r = 0; r < rows; r++) {
          const row = <usize>r * rowBytes;
          const a0 = p0 + row, a1 = p1 + row, a2 = p2 + row, a3 = p3 + row;
          for (let q: usize = 0; q < <usize>(run << 2); q += 4) {
            const b0 = v128.load(pb);
            const b1 = v128.load(pb, 16);
            let a = v128.load32_splat(a0 + q);
            c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
            a = v128.load32_splat(a1 + q);
            c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
            a = v128.load32_splat(a2 + q);
            c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
            a = v128.load32_splat(a3 + q);
            c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
            pb += 32;
          }
        }
        if (!inRegisters) {
          v128.store(tile, c00); v128.store(tile, c01, 16);
          v128.store(tile, c10, 32); v128.store(tile, c11, 48);
          v128.store(tile, c20, 64); v128.store(tile, c21, 80);
          v128.store(tile, c30, 96); v128.store(tile, c31, 112);
          finishBlock(tile, <usize>(NR << 2), count, width, panelBias, activation);
          c00 = v128.load(tile); c01 = v128.load(tile, 16);
          c10 = v128.load(tile, 32); c11 = v128.load(tile, 48);
          c20 = v128.load(tile, 64); c21 = v128.load(tile, 80);
          c30 = v128.load(tile, 96); c31 = v128.load(tile, 112);
        } else if (finish) {
          c00 = finished(c00, bias0); c01 = finished(c01, bias1);
          c10 = finished(c10, bias0); c11 = finished(c11, bias1);
          c20 = finished(c20, bias0); c21 = finished(c21, bias1);
          c30 = finished(c30, bias0); c31 = finished(c31, bias1);
        }
        if (first == 0) {
          best0 = c00; best1 = c01;
        } else {
          best0 = firstMaximum(c00, best0); best1 = firstMaximum(c01, best1);
        }
        if (count > 1) {
          best0 = firstMaximum(c10, best0); best1 = firstMaximum(c11, best1);
        }
        if (count > 2) {
          best0 = firstMaximum(c20, best0); best1 = firstMaximum(c21, best1);
        }
        if (count > 3) {
          best0 = firstMaximum(c30, best0); best1 = firstMaximum(c31, best1);
        }
      }
      const to = out + (<usize>(jp * NR) << 2);
      storeLanes(to, best0, width);
      if (width > 4) storeLanes(to + 16, best1, width - 4);
    }
    out += <usize>outChannels << 2;
  }
}

/** `finishBlock`'s vector path for four lanes: the bias added, then relu where asked (f32x4.max keeps NaN, maps −0 to +0). */
@inline function finished(c: v128, bias: v128): v128 {
  const z = f32x4.add(c, bias);
  return activation == RELU ? f32x4.max(z, f32x4.splat(0)) : z;
}

/** A lane takes `v` when it is greater than the lane's best, or a NaN over a number: the pooling's rule. */
@inline function firstMaximum(v: v128, best: v128): v128 {
  const take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
  return v128.bitselect(v, best, take);
}
