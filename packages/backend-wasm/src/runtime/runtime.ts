import { alignUp } from './align.js';
import type { Arena } from './arena.js';
import type { KernelExports } from './exports.js';

/** The kernels module running on the calling thread, with its workers and its memory. */
export interface WasmRuntime {
  readonly kernels: KernelExports;
  readonly arena: Arena;
  /** Threads a parallel job runs on, the calling thread included. */
  readonly threads: number;
  /** Stops the workers. The runtime must not be used afterwards. */
  dispose(): Promise<void>;
}

/** Where the runtime's fixed regions sit in memory, in bytes. */
export interface MemoryLayout {
  readonly control: number;
  readonly scratch: number;
  readonly scratchStride: number;
  /** Start of the per-call arena, past everything else. */
  readonly arenaBase: number;
}

/**
 * Lays out the control block, then one scratch area per thread (page-aligned, so threads
 * never share a cache line), then the arena.
 */
export const layoutMemory = (kernels: KernelExports, threads: number): MemoryLayout => {
  const control = alignUp(kernels.heapBase(), 64);
  const scratch = alignUp(control + kernels.controlBytes(), 4096);
  const scratchStride = alignUp(kernels.scratchBytesPerThread(), 4096);
  return { control, scratch, scratchStride, arenaBase: scratch + threads * scratchStride };
};

/** Throws when a parallel job reported that a worker never finished its share. */
export const checkJob = (status: number): void => {
  if (status !== 0) throw new Error('a wasm worker thread did not finish its share of a job within 60 s; the backend is unusable');
};
