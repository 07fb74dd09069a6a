import type { AdamStep } from '@axon/tensor';
import { checkJob, type WasmRuntime } from '../runtime/runtime.js';

/** Parameter tensors smaller than this update on the calling thread alone. */
export const PARALLEL_ADAM_SIZE = 1 << 15;

/** The three outputs of an Adam step, as float32 arrays. */
export interface AdamValues {
  readonly direction: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
}

/**
 * One fused Adam step: new moments and `mhat / (sqrt(vhat) + epsilon)`, computed in
 * double precision in the reference's order (equal to it bit for bit), one pass over
 * the parameters split across threads for large tensors.
 */
export const adamValues = (
  runtime: WasmRuntime,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  step: AdamStep,
): AdamValues => {
  const { arena, kernels } = runtime;
  const n = grad.length;
  arena.reset();
  const gradAt = arena.putFloats(grad);
  const mAt = arena.putFloats(m);
  const vAt = arena.putFloats(v);
  const direction = arena.reserve(n * 4);
  const mOut = arena.reserve(n * 4);
  const vOut = arena.reserve(n * 4);
  checkJob(
    kernels.adam(
      n >= PARALLEL_ADAM_SIZE ? 1 : 0, n, gradAt, mAt, vAt, direction, mOut, vOut,
      step.beta1, step.beta2, step.epsilon, step.correction1, step.correction2,
    ),
  );
  return { direction: arena.takeFloats(direction, n), m: arena.takeFloats(mOut, n), v: arena.takeFloats(vOut, n) };
};
