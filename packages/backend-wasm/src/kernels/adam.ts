import type { AdamStep, Storage } from '@axon/tensor';
import { checkJob, type WasmRuntime } from '../runtime/runtime.js';
import type { WasmStorage } from '../runtime/resident.js';

/** Parameter tensors smaller than this update on the calling thread alone. */
export const PARALLEL_ADAM_SIZE = 1 << 15;

/** The three outputs of an Adam step, resident. */
export interface AdamStorage {
  readonly direction: WasmStorage<'float32'>;
  readonly m: WasmStorage<'float32'>;
  readonly v: WasmStorage<'float32'>;
}

/**
 * One fused Adam step: new moments and the direction `(m · c1) / (√(v · c2) + ε)`,
 * computed in float32 in the reference's order (equal to it bit for bit), one
 * pass over the parameters split across threads for large tensors.
 */
export const adam = (
  runtime: WasmRuntime,
  grad: Storage<'float32'>,
  m: Storage<'float32'>,
  v: Storage<'float32'>,
  step: AdamStep,
): AdamStorage => {
  const { memory, kernels } = runtime;
  const n = grad.size;
  const gradAt = memory.addressOf(grad);
  const mAt = memory.addressOf(m);
  const vAt = memory.addressOf(v);
  const direction = memory.allocate('float32', n);
  const mOut = memory.allocate('float32', n);
  const vOut = memory.allocate('float32', n);
  checkJob(
    kernels.adam(
      n >= PARALLEL_ADAM_SIZE ? 1 : 0,
      n,
      gradAt,
      mAt,
      vAt,
      direction.address,
      mOut.address,
      vOut.address,
      step.beta1,
      step.beta2,
      step.epsilon,
      step.correction1,
      step.correction2,
    ),
  );
  return { direction, m: mOut, v: vOut };
};
