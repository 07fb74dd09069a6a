import * as T from '@axon/tensor';
import type { GpuBackend } from '../src/index.js';
import { createGpuBackend, type GpuBackendOptions, type GpuJsMode } from '../src/edge/index.js';

/**
 * The gpu.js mode this run covers, from `AXON_GPU_MODE`: the package's `test` script
 * runs the suite once per mode (scripts/edge/each-mode.ts). Defaults to webasm, which runs
 * anywhere.
 */
export const testMode: GpuJsMode = ((): GpuJsMode => {
  const mode = process.env['AXON_GPU_MODE'] ?? 'webasm';
  if (mode !== 'webasm' && mode !== 'headlessgl' && mode !== 'cpu') {
    throw new Error(`AXON_GPU_MODE must be webasm, headlessgl or cpu, got '${mode}'`);
  }
  return mode;
})();

/** Whether this run's mode keeps tensors in textures. */
export const usesTextures = testMode === 'headlessgl';

/** A checked backend in this run's mode; the test fails loudly if the mode is refused. */
export const gpuBackend = (options: Omit<GpuBackendOptions, 'mode'> = {}): GpuBackend => {
  const choice = createGpuBackend({ ...options, mode: testMode });
  if (choice._tag === 'Left') throw new Error(choice.left);
  return choice.right.backend;
};

/** Uniform float32 values in `[lo, hi)` from `seed`. */
export const randomTensor = (seed: number, shape: T.Shape, lo = -2, hi = 2): T.Tensor =>
  T.uniform(T.key(seed), shape, { minval: lo, maxval: hi });

/**
 * Throws unless `actual` has `expected`'s dtype and shape and every element is within
 * `tolerance × max(max|expected|, 1)` (NaN matching NaN); `tolerance` 0 asks for equality.
 * The floor of 1 is there because an output near zero can come from intermediates of
 * order one (a log-sum-exp that is exactly 0 for one class, a difference of near-equal
 * values), whose float32 rounding the GPU's exp and log keep; without it, an all-zero
 * expected output allowed no error at all (1.75e-15 failed for a one-class loss).
 */
export const expectAgree = (actual: T.Tensor, expected: T.Tensor, tolerance = 1e-5): void => {
  const label = `${actual.dtype}[${actual.shape.join(',')}] vs ${expected.dtype}[${expected.shape.join(',')}]`;
  if (actual.dtype !== expected.dtype || actual.shape.join() !== expected.shape.join())
    throw new Error(`mismatch: ${label}`);
  const a = actual.values;
  const e = expected.values;
  let scale = 0;
  for (let i = 0; i < e.length; i++) if (Number.isFinite(e[i])) scale = Math.max(scale, Math.abs(e[i]));
  const allowed = tolerance * Math.max(scale, 1);
  for (let i = 0; i < e.length; i++) {
    const same =
      Object.is(a[i], e[i]) || (Number.isNaN(a[i]) && Number.isNaN(e[i])) || Math.abs(a[i] - e[i]) <= allowed;
    if (!same) throw new Error(`${label}: element ${i} is ${a[i]}, expected ${e[i]} (allowed error ${allowed})`);
  }
};

/** `op` on copies of `inputs` on `backend` and on the reference backend, compared. */
export const agreesWithReference = (
  backend: T.Backend,
  inputs: readonly T.Tensor[],
  op: (...xs: T.Tensor[]) => T.Tensor,
  tolerance = 1e-5,
): void => {
  const actual = op(...inputs.map((x) => T.toBackend(x, backend)));
  if (actual.backend !== backend) throw new Error(`the op ran on ${actual.backend.name}, not ${backend.name}`);
  expectAgree(actual, op(...inputs.map((x) => T.toBackend(x, T.jsBackend))), tolerance);
};
