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
 * How a product is computed: `auto` skips op(A)'s zeros when at least
 * {@link MIN_ZERO_SHARE} of A is zero, the product is at least
 * {@link MIN_ZERO_SKIPPING_WIDTH} wide and {@link MIN_ZERO_SKIPPING_DEPTH} deep, B is at
 * most {@link MAX_ZERO_SKIPPING_B_BYTES} and the values allow it exactly; `dense` never
 * does, `skip-zeros` does whenever the values allow it (for tests and benchmarks). All
 * three give bit-identical results.
 */
export type ProductPath = 'auto' | 'dense' | 'skip-zeros';

/**
 * The share of zeros in A from which a product skips them. Measured on one thread
 * against the dense product (random positions of zeros, the MLP's shapes): skipping
 * breaks even at 55–60% zeros, is 1.3–1.6x faster at 70% and 1.7–2.1x at 80%.
 */
export const MIN_ZERO_SHARE = 0.6;

/**
 * Products narrower than this stay dense: the zero-skipping kernel sums 32 columns at a
 * time, and narrower rows (the MLP's 10 logits) ran slower than dense at any share of zeros
 * measured (0.7x at 80%).
 */
export const MIN_ZERO_SKIPPING_WIDTH = 32;

/**
 * Products shallower than this stay dense: a row of A with few steps has little to skip.
 * The convnet's first layer (MNIST patches, `[676000, 9] · [9, 32]`, 81% zeros) ran 1.36x
 * slower skipping zeros on one thread and 1.69x on two (its forward pass with bias and
 * relu: 42.1 against 30.9 ms, 29.7 against 17.6 ms): a 3×3 window of a digit is all
 * background, which dense rows also pass through quickly, or mostly stroke. At depth 64
 * (conv 2's input gradient) skipping is 2.3x faster; depths between were not measured on
 * real data.
 */
export const MIN_ZERO_SKIPPING_DEPTH = 32;

/**
 * Products whose B is larger than this stay dense: each nonzero of A reads a row of B
 * where it is, so B must stay in cache (about one core's L2 here; the MLP's largest B,
 * `W1`, is 392 KiB). The convnet's first kernel gradient (`patchesᵀ · dy`, B 11 MB, 81%
 * zeros in A) ran 15% slower skipping zeros than dense, which streams B once.
 */
export const MAX_ZERO_SKIPPING_B_BYTES = 512 * 1024;

/**
 * One product job on operands already in wasm memory, by address: `C[t] =
 * activation(op(A[t]) · op(B[t]) + bias)` for `t < batch`, A's entries `aStride` floats
 * apart (0: one A for all) and B's `bStride` apart; `bias` is 0 or the address of `n`
 * floats; `activation` is a code of `activationCode`.
 */
export interface ProductJob {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly batch: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly aStride: number;
  readonly bStride: number;
  readonly bias: number;
  readonly activation: number;
}

/** Scratch a caller has set aside for a product (when its own data sits in `heap.scratch`). */
export interface ProductScratch {
  readonly address: number;
  /** At least `kernels.packedBytes(...)` of the job: what the dense kernel needs. */
  readonly bytes: number;
}

/**
 * Runs a product job with the dense kernel or, where `path` allows it and A is mostly
 * zeros, the zero-skipping kernel (bit-identical either way; see `assembly/gemm/sparse.ts`).
 * Parallel when the product is not tiny. Its scratch comes from `heap.scratch` unless
 * `scratch` is given (then the zero-skipping kernel runs only if it fits there).
 */
export const runProduct = (
  runtime: WasmRuntime,
  job: ProductJob,
  path: ProductPath = runtime.skipZeros ? 'auto' : 'dense',
  scratch?: ProductScratch,
): void => {
  const { kernels, heap } = runtime;
  const { batch, m, k, n, aStride, bStride } = job;
  const sparseBytes = kernels.sparseScratchBytes(
    batch,
    k,
    n,
    job.transposeB ? 1 : 0,
    bStride > 0 ? 1 : 0,
    runtime.threads,
  );
  const minExponent =
    path === 'dense' ||
    (path === 'auto' &&
      (n < MIN_ZERO_SKIPPING_WIDTH || k < MIN_ZERO_SKIPPING_DEPTH || k * n * 4 > MAX_ZERO_SKIPPING_B_BYTES)) ||
    (scratch !== undefined && sparseBytes > scratch.bytes)
      ? -1
      : kernels.zeroSkipping(
          job.a,
          (aStride > 0 ? batch : 1) * m * k,
          job.b,
          (bStride > 0 ? batch : 1) * k * n,
          path === 'auto' ? MIN_ZERO_SHARE : 0,
        );
  const parallel = 2 * batch * m * n * k >= PARALLEL_MATMUL_FLOPS ? 1 : 0;
  const args = [
    parallel,
    job.a,
    job.b,
    job.c,
    batch,
    m,
    k,
    n,
    job.transposeA ? 1 : 0,
    job.transposeB ? 1 : 0,
    aStride,
    bStride,
    job.bias,
    job.activation,
  ] as const;
  if (minExponent >= 0) {
    checkJob(kernels.sparseMatmul(...args, scratch?.address ?? heap.scratch(sparseBytes), minExponent));
    runtime.products.skippingZeros++;
  } else {
    const panels =
      scratch?.address ?? heap.scratch(kernels.packedBytes(batch, m, k, n, aStride > 0 ? 1 : 0, bStride > 0 ? 1 : 0));
    checkJob(kernels.matmul(...args, panels));
    runtime.products.dense++;
  }
};

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
  path?: ProductPath,
): WasmStorage<'float32'> => {
  // Batched rows of A times one B are one tall product.
  const fold = spec.batch > 1 && spec.aBatched && !spec.bBatched && !spec.transposeA;
  const batch = fold ? 1 : spec.batch;
  const m = fold ? spec.batch * spec.m : spec.m;
  const { k, n } = spec;
  const { memory } = runtime;
  const job = {
    a: memory.addressOf(a),
    b: memory.addressOf(b),
    bias: epilogue.bias === undefined ? 0 : memory.addressOf(epilogue.bias),
    batch,
    m,
    k,
    n,
    transposeA: spec.transposeA,
    transposeB: spec.transposeB,
    aStride: spec.aBatched && batch > 1 ? m * k : 0,
    bStride: spec.bBatched && batch > 1 ? k * n : 0,
    activation: activationCode[epilogue.activation],
  };
  const c = memory.allocate('float32', batch * m * n);
  runProduct(runtime, { ...job, c: c.address }, path);
  return c;
};
