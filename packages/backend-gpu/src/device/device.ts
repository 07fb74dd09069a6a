import type { DType, Storage } from '@axon/tensor';
import type { GpuJsMode } from '../gpujs/gpujs.js';
import type { Program } from '../kernels/program.js';

/** A kernel operand: a tensor's storage, or a number passed as a scalar argument. */
export type Operand = Storage | number;

/** Elements of a tensor operand; `undefined` for a scalar. */
export const sizeOf = (operand: Operand): number | undefined =>
  typeof operand === 'number' ? undefined : operand.size;

/**
 * Where a gpu.js mode keeps tensors between kernels and how it runs kernels on them:
 * textures for the GL modes, host arrays for the WebAssembly and CPU modes.
 */
export interface Device {
  readonly mode: GpuJsMode;
  /**
   * Runs `program` on `operands` (each of at least one element) and wraps its float
   * results as storage of `dtype`.
   */
  run<D extends DType>(program: Program, operands: readonly Operand[], dtype: D): Storage<D>;
  /** Kernels compiled and textures held right now, for diagnostics and tests. */
  usage(): DeviceUsage;
}

/** A snapshot of what a device holds. */
export interface DeviceUsage {
  readonly kernels: number;
  /** Textures holding live tensors (always 0 in the CPU modes). */
  readonly textures: number;
  readonly textureBytes: number;
  /** Texture bytes above which the least recently used tensors are moved to host memory. */
  readonly textureBudgetBytes: number;
}

/**
 * Tensors larger than this stay in host memory and their ops run on the reference
 * backend. Kernels index in float32, whose integers are exact only up to 2^24, and
 * gpu.js's own texture addressing adds arithmetic of its own, so the limit keeps a
 * margin of four.
 */
export const MAX_DEVICE_ELEMENTS = 2 ** 22;
