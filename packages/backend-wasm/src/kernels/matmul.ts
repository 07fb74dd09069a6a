import type { FusedActivation, MatmulSpec, Storage } from '@axon/tensor';
import { checkJob, type WasmRuntime } from '../runtime/runtime.js';
import type { WasmStorage } from '../runtime/resident.js';
import { activationCode } from './codes.js';

/**
 * Products smaller than this many flops run on the calling thread alone. Posting a job
 * costs the calling thread well under a microsecond (it starts on the tasks at once, and
 * a worker that wakes too late finds the job done), so even the MLP's narrow products
 * (128 x 128 x 10, about 20 µs) are posted; below this, a worker could not wake in time.
 */
export const PARALLEL_MATMUL_FLOPS = 1 << 18;

/** What a product adds after the sum: a per-column bias and an activation. */
export interface Epilogue {
  readonly bias?: Storage<'float32'>;
  readonly activation: FusedActivation;
}

const plain: Epilogue = { activation: 'linear' };

/**
 * `activation(op(A[t]) · op(B[t]) + bias)` for every batch entry (see `MatmulSpec`), in
 * float32 with each element summed in k order, so results are identical on any number
 * of threads. Operands are read where they live; the result is a new resident storage.
 *
 * @example
 * ```ts
 * const c = matmul(runtime, a, b, { batch: 1, m: 2, k: 3, n: 4, transposeA: false, transposeB: false, aBatched: false, bBatched: false });
 * ```
 */
export const matmul = (
  runtime: WasmRuntime,
  a: Storage<'float32'>,
  b: Storage<'float32'>,
  spec: MatmulSpec,
  epilogue: Epilogue = plain,
): WasmStorage<'float32'> => {
  // Batched rows of A times one B are one tall product.
  const fold = spec.batch > 1 && spec.aBatched && !spec.bBatched && !spec.transposeA;
  const batch = fold ? 1 : spec.batch;
  const m = fold ? spec.batch * spec.m : spec.m;
  const { k, n } = spec;
  const { memory, heap, kernels } = runtime;
  const aAt = memory.addressOf(a);
  const bAt = memory.addressOf(b);
  const biasAt = epilogue.bias === undefined ? 0 : memory.addressOf(epilogue.bias);
  const c = memory.allocate('float32', batch * m * n);
  const aStride = spec.aBatched && batch > 1 ? m * k : 0;
  const bStride = spec.bBatched && batch > 1 ? k * n : 0;
  const panels = heap.scratch(kernels.packedBytes(batch, m, k, n, aStride > 0 ? 1 : 0, bStride > 0 ? 1 : 0));
  const parallel = 2 * batch * m * n * k >= PARALLEL_MATMUL_FLOPS ? 1 : 0;
  checkJob(
    kernels.matmul(
      parallel,
      aAt,
      bAt,
      c.address,
      batch,
      m,
      k,
      n,
      spec.transposeA ? 1 : 0,
      spec.transposeB ? 1 : 0,
      aStride,
      bStride,
      biasAt,
      activationCode[epilogue.activation],
      panels,
    ),
  );
  return c;
};
