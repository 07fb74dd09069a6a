import type { Storage } from '@axon/tensor';
import { checkJob, type WasmRuntime } from '../runtime/runtime.js';
import type { WasmStorage } from '../runtime/resident.js';

/** Tensors smaller than this drop out on the calling thread alone. */
const PARALLEL_DROPOUT_SIZE = 1 << 13;

/**
 * Inverted dropout of float32 `x` in one parallel pass: the mask drawn by Threefry-2x32
 * under `key` exactly as `bernoulli(key, keep, shape)` draws it (each element's 52-bit
 * uniform compared with `keep`), kept elements multiplied by `scale` in float32, the
 * rest 0: bit for bit `where(bernoulli(key, keep, shape), mul(x, scale), 0)`, for any
 * number of threads.
 *
 * @example
 * ```ts
 * const y = dropout(runtime, x, foldIn(trainKey, step), 0.5, 2);
 * ```
 */
export const dropout = (
  runtime: WasmRuntime,
  x: Storage<'float32'>,
  key: readonly [number, number],
  keep: number,
  scale: number,
): WasmStorage<'float32'> => {
  const { memory, kernels } = runtime;
  const xAt = memory.addressOf(x);
  const out = memory.allocate('float32', x.size);
  checkJob(
    kernels.dropout(
      x.size >= PARALLEL_DROPOUT_SIZE ? 1 : 0,
      x.size,
      xAt,
      out.address,
      key[0] | 0,
      key[1] | 0,
      // The reference keeps an element when its uniform u = bits / 2⁵² is below `keep`;
      // scaling both sides by 2⁵² is exact, so the kernel compares the 52-bit integers.
      keep * 2 ** 52,
      scale,
    ),
  );
  return out;
};
