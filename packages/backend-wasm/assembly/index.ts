/**
 * The kernels module's exports. Addresses are byte offsets into the shared memory that
 * the host manages; the module allocates nothing. Every instance (the main thread's and
 * each worker's) first calls `attach` with the control block's address.
 */
import { CONTROL_BYTES, SCRATCH, SCRATCH_RESERVED, SCRATCH_STRIDE, SPIN, THREADS, control } from './threads/control';
import { GEMM_SCRATCH_BYTES, panelRows, writeGemmJob } from './gemm/gemm';
export { packedBytes, panelRows } from './gemm/gemm';
import { packRows, sparseListBytes, writeSparseJob, zeroSkipPlan } from './gemm/sparse';
import { writeAdamJob } from './elementwise/adam';
import { STAGE_BYTES, UPDATE_CHUNK, writeUpdateJob } from './optim/update';
import { writePatchesJob } from './conv/patches';
import { writePoolJob } from './conv/pool';
import { writeDropoutJob } from './random/dropout';
import { writeWinogradJob } from './conv/winograd';
export { winogradKernel } from './conv/winograd';
import { writeConvPoolJob } from './conv/conv-pool';
export { convPoolScratchBytes } from './conv/conv-pool';
import { pack } from './gemm/pack';
import { NR } from './gemm/microkernel';
import {
  ADAM, COL2IM, CONV_PATCHES, CONV_POOL, DROPOUT, GEMM, POOL, SPARSE_GEMM, UPDATE, WINOGRAD_INPUT, WINOGRAD_OUTPUT,
  runJob,
} from './jobs';

export { attach } from './threads/control';
export { workerLoop, stopWorkers } from './jobs';
export { activationGrad } from './elementwise/activation-grad';
export { binary, relu } from './elementwise/binary';
export { sumRows } from './reduce/sum-rows';
export { decodeBytes } from './elementwise/decode-bytes';
export { sparseSoftmaxCrossEntropy, sparseSoftmaxCrossEntropyGrad } from './loss/softmax-cross-entropy';

/** First address past the module's static data: where the host may start allocating. */
export function heapBase(): usize {
  return __heap_base;
}

/** Bytes the control block needs. */
export function controlBytes(): i32 {
  return CONTROL_BYTES;
}

/** Bytes of scratch each thread needs: its counters (busy seconds, an f64 at the start), then the kernels' share. */
export function scratchBytesPerThread(): i32 {
  return SCRATCH_RESERVED + GEMM_SCRATCH_BYTES;
}

/**
 * Main thread, once, before any worker starts: `threads` in all (the main thread
 * included), `spin` polls before a waiting thread sleeps, and the scratch areas.
 */
export function configure(threads: i32, spin: i32, scratch: usize, scratchStride: i32): void {
  store<i32>(control + THREADS, threads);
  store<i32>(control + SPIN, spin);
  store<i32>(control + SCRATCH, <i32>scratch);
  store<i32>(control + SCRATCH_STRIDE, scratchStride);
}

/**
 * `C[t] = activation(op(A[t]) · op(B[t]) + bias)` for `t < batch` (see `gemm/gemm.ts`);
 * `panels` is `packedBytes(...)` of room for the packed operands. Returns 0, or 1 if a
 * worker failed to finish.
 */
export function matmul(
  parallel: bool, a: usize, b: usize, c: usize, batch: i32, m: i32, k: i32, n: i32,
  transposeA: bool, transposeB: bool, aStride: i32, bStride: i32, bias: usize, activation: i32, panels: usize,
): i32 {
  writeGemmJob(a, b, c, batch, m, k, n, transposeA, transposeB, aStride, bStride, bias, activation, panels, parallel && load<i32>(control + THREADS) > 1);
  return runJob(GEMM, parallel);
}

/**
 * The product of {@link matmul} (no transposes) with A already in the packed panel
 * layout (see `writeGemmJob`): `aBatched` says whether each of the `batch` products has
 * its own A; `panels` is `packedBytes(batch, 0, k, n, 0, bStride != 0)` of room for B's
 * panels. Returns 0, or 1 if a worker failed to finish.
 */
export function packedMatmul(
  parallel: bool, a: usize, b: usize, c: usize, batch: i32, m: i32, k: i32, n: i32, aBatched: bool, bStride: i32,
  bias: usize, activation: i32, panels: usize,
): i32 {
  const aStride = aBatched ? panelRows(m) * k : 0;
  writeGemmJob(a, b, c, batch, m, k, n, false, false, aStride, bStride, bias, activation, panels, parallel && load<i32>(control + THREADS) > 1, true);
  return runJob(GEMM, parallel);
}

/**
 * Whether the product of A (`aCount` floats at `a`) and B (`bCount` at `b`) skips A's
 * zeros, bit-identical to the dense product (see `gemm/sparse.ts`): -1 if not (fewer than
 * `minZeroShare` of A is ±0, or B's values rule it out), else the `minExponent` to pass
 * to {@link sparseMatmul}.
 */
export function zeroSkipping(a: usize, aCount: i32, b: usize, bCount: i32, minZeroShare: f64): i32 {
  return zeroSkipPlan(a, aCount, b, bCount, minZeroShare);
}

/** Whether {@link sparseMatmul} packs op(B): when B is transposed or its rows are not whole vectors. */
@inline function packsB(n: i32, transposeB: bool): bool {
  return transposeB || (n & 3) != 0;
}

/** Bytes of scratch {@link sparseMatmul} needs on `threads` threads. */
export function sparseScratchBytes(batch: i32, k: i32, n: i32, transposeB: bool, bBatched: bool, threads: i32): i32 {
  const packed = packsB(n, transposeB) ? (bBatched ? batch : 1) * k * ((n + 3) & ~3) * 4 : 0;
  return packed + threads * sparseListBytes(k);
}

/**
 * The product of {@link matmul}, skipping the zeros of op(A): bit-identical to it where
 * {@link zeroSkipping} gave `minExponent` (not -1). op(B) is first packed into `scratch`
 * when transposed or ragged (on the calling thread); `scratch` is `sparseScratchBytes(...)`.
 */
export function sparseMatmul(
  parallel: bool, a: usize, b: usize, c: usize, batch: i32, m: i32, k: i32, n: i32,
  transposeA: bool, transposeB: bool, aStride: i32, bStride: i32, bias: usize, activation: i32, scratch: usize,
  minExponent: i32,
): i32 {
  let rows = b, line = n, rowsStride = bStride, lists = scratch;
  if (packsB(n, transposeB)) {
    line = (n + 3) & ~3;
    rowsStride = bStride != 0 ? k * line : 0;
    const entries = bStride != 0 ? batch : 1;
    for (let t = 0; t < entries; t++) {
      packRows(b + (<usize>(t * bStride) << 2), k, n, transposeB ? k : 1, transposeB ? 1 : n, line, scratch + (<usize>(t * k * line) << 2));
    }
    rows = scratch;
    lists = scratch + (<usize>(entries * k * line) << 2);
  }
  writeSparseJob(a, rows, c, batch, m, k, n, transposeA, aStride, rowsStride, line, bias, activation, lists, minExponent);
  return runJob(SPARSE_GEMM, parallel);
}

/** One Adam step over `n` parameters (see `elementwise/adam.ts`). Returns 0, or 1 if a worker failed. */
export function adam(
  parallel: bool, n: i32, grad: usize, m: usize, v: usize, direction: usize, mOut: usize, vOut: usize,
  beta1: f64, beta2: f64, epsilon: f64, correction1: f64, correction2: f64,
): i32 {
  writeAdamJob(n, grad, m, v, direction, mOut, vOut, beta1, beta2, epsilon, correction1, correction2);
  return runJob(ADAM, parallel);
}

/**
 * One fused optimizer step over every parameter (see `optim/update.ts` for the table at
 * `table`), split into `tasks` chunks. Returns 0, or 1 if a worker failed.
 */
export function update(parallel: bool, table: usize, stageCount: i32, tensorCount: i32, slotCount: i32, tasks: i32): i32 {
  writeUpdateJob(table, stageCount, tensorCount, slotCount, tasks);
  return runJob(UPDATE, parallel);
}

/** Elements per task of an update job. */
export function updateChunk(): i32 {
  return UPDATE_CHUNK;
}

/** Bytes of one stage in an update job's table. */
export function updateStageBytes(): i32 {
  return STAGE_BYTES;
}


/**
 * Writes the patch rows (im2col) of images `firstImage ..` of the batch at `x` to
 * `patches`, for the convolution whose geometry record is at `geometry` (see
 * `conv/patches.ts`). Returns 0, or 1 if a worker failed.
 */
export function convPatches(parallel: bool, geometry: usize, x: usize, patches: usize, firstImage: i32, images: i32): i32 {
  writePatchesJob(geometry, x, patches, firstImage, images);
  return runJob(CONV_PATCHES, parallel);
}

/**
 * Writes the input gradient of images `firstImage ..` of the batch at `dx` from their
 * patch gradients at `patchGrads` (col2im, see `conv/patches.ts`). Returns 0, or 1 if a worker failed.
 */
export function col2im(parallel: bool, geometry: usize, patchGrads: usize, dx: usize, firstImage: i32, images: i32): i32 {
  writePatchesJob(geometry, patchGrads, dx, firstImage, images);
  return runJob(COL2IM, parallel);
}

/**
 * Writes the Winograd-transformed input tiles (V, 16 matrices of `rows` rows in packed
 * panels) of images `firstImage ..` of the batch at `x` to `v`, for the 3×3, stride-1
 * convolution whose geometry record is at `geometry` (see `conv/winograd.ts`). Returns
 * 0, or 1 if a worker failed.
 */
export function winogradInput(
  parallel: bool, geometry: usize, x: usize, v: usize, firstImage: i32, images: i32, rows: i32,
): i32 {
  writeWinogradJob(geometry, x, v, firstImage, images, rows, 0, 0);
  return runJob(WINOGRAD_INPUT, parallel);
}

/**
 * Writes the outputs of images `firstImage ..` of the batch at `y` from their tiles'
 * products `m` (16 matrices of `rows` rows), `activation(Aᵀ M A + bias)` (`bias` 0 for none; linear or relu; see
 * `conv/winograd.ts`). Returns 0, or 1 if a worker failed.
 */
export function winogradOutput(
  parallel: bool, geometry: usize, m: usize, y: usize, firstImage: i32, images: i32, rows: i32, bias: usize,
  activation: i32,
): i32 {
  writeWinogradJob(geometry, m, y, firstImage, images, rows, bias, activation);
  return runJob(WINOGRAD_OUTPUT, parallel);
}

/** Bytes of `k` × `n` row-major B packed in the product's B panels (see {@link packPanelsB}). */
export function panelsBBytes(k: i32, n: i32): i32 {
  return (n + NR - 1) / NR * NR * k * 4;
}

/** Packs the row-major `[k, n]` matrix at `b` in the product's B panels at `dst`. */
export function packPanelsB(b: usize, k: i32, n: i32, dst: usize): void {
  pack(b, 1, n, n, k, NR, dst);
}

/**
 * `out = maxPool(activation(conv2d(x, kernel) + bias))` for images `0 .. images − 1`, the
 * pooling windows tiling the convolution's output (see `conv/conv-pool.ts`): `panelsB`
 * is the kernel in B panels (`packPanelsB`), `bias` 0 for none, linear or relu, and each
 * thread's scratch `scratchBytes` (`convPoolScratchBytes`) at `scratch + thread ·
 * scratchBytes`. Returns 0, or 1 if a worker failed.
 */
export function convMaxPool(
  parallel: bool, geometry: usize, x: usize, panelsB: usize, bias: usize, activation: i32, poolHeight: i32,
  poolWidth: i32, pooledHeight: i32, pooledWidth: i32, out: usize, scratch: usize, scratchBytes: i32, images: i32,
): i32 {
  writeConvPoolJob(geometry, x, panelsB, bias, activation, poolHeight, poolWidth, pooledHeight, pooledWidth, out, scratch, scratchBytes, images);
  return runJob(CONV_POOL, parallel);
}

/** One pooling kernel of kind `mode` over every image (see `conv/pool.ts`). Returns 0, or 1 if a worker failed. */
export function pool(parallel: bool, geometry: usize, mode: i32, a: usize, b: usize, out: usize): i32 {
  writePoolJob(geometry, mode, a, b, out);
  return runJob(POOL, parallel);
}

/**
 * Inverted dropout of the `n` float32 values at `x` into `out`, the mask drawn by
 * Threefry-2x32 under the key `(key0, key1)` as the reference's `bernoulli` draws it
 * (see `random/dropout.ts`). Returns 0, or 1 if a worker failed.
 */
export function dropout(parallel: bool, n: i32, x: usize, out: usize, key0: i32, key1: i32, threshold: f64, scale: f64): i32 {
  writeDropoutJob(n, x, out, key0, key1, threshold, scale);
  return runJob(DROPOUT, parallel);
}
