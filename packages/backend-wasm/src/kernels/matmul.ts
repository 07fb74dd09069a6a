import type { FusedActivation, MatmulSpec } from '@axon/tensor';
import { checkJob, type WasmRuntime } from '../runtime/runtime.js';
import { activationCode } from './codes.js';

/**
 * Products smaller than this many flops run on the calling thread alone: waking a
 * worker and splitting the output would cost more than it saves.
 */
export const PARALLEL_MATMUL_FLOPS = 1 << 21;

/** What a product adds after the sum: a per-column bias and an activation. */
export interface Epilogue {
  readonly bias?: Float32Array;
  readonly activation: FusedActivation;
}

const plain: Epilogue = { activation: 'linear' };

/**
 * `activation(op(A[t]) · op(B[t]) + bias)` for every batch entry (see `MatmulSpec`), in
 * float32 with each element summed in k order, so results are identical on any number
 * of threads.
 *
 * @example
 * ```ts
 * const c = matmulValues(runtime, a, b, { batch: 1, m: 2, k: 3, n: 4, transposeA: false, transposeB: false, aBatched: false, bBatched: false });
 * ```
 */
export const matmulValues = (
  runtime: WasmRuntime,
  a: Float32Array,
  b: Float32Array,
  spec: MatmulSpec,
  epilogue: Epilogue = plain,
): Float32Array => {
  // Batched rows of A times one B are one tall product.
  const fold = spec.batch > 1 && spec.aBatched && !spec.bBatched && !spec.transposeA;
  const batch = fold ? 1 : spec.batch;
  const m = fold ? spec.batch * spec.m : spec.m;
  const { k, n } = spec;
  const { arena, kernels } = runtime;
  arena.reset();
  const aAt = arena.putFloats(a);
  const bAt = arena.putFloats(b);
  const biasAt = epilogue.bias === undefined ? 0 : arena.putFloats(epilogue.bias);
  const size = batch * m * n;
  const cAt = arena.reserve(size * 4);
  const aStride = spec.aBatched && batch > 1 ? m * k : 0;
  const bStride = spec.bBatched && batch > 1 ? k * n : 0;
  const panels = arena.reserve(kernels.packedBytes(batch, m, k, n, aStride > 0 ? 1 : 0, bStride > 0 ? 1 : 0));
  const parallel = 2 * batch * m * n * k >= PARALLEL_MATMUL_FLOPS ? 1 : 0;
  checkJob(
    kernels.matmul(
      parallel, aAt, bAt, cAt, batch, m, k, n, spec.transposeA ? 1 : 0, spec.transposeB ? 1 : 0,
      aStride, bStride, biasAt, activationCode[epilogue.activation], panels,
    ),
  );
  return arena.takeFloats(cAt, size);
};
