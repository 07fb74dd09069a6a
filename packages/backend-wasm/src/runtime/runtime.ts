import { alignUp } from './align.js';
import type { KernelExports } from './exports.js';
import type { WasmHeap } from './heap.js';
import type { WasmMemory } from './webassembly.js';
import type { ResidentMemory } from './resident.js';

/** The kernels module running on the calling thread, with its workers and its memory. */
export interface WasmRuntime {
  readonly kernels: KernelExports;
  /** The allocator of the wasm memory, and the scratch a kernel call may use. */
  readonly heap: WasmHeap;
  /** The tensors living in the wasm memory. */
  readonly memory: ResidentMemory;
  /** Threads a parallel job runs on, the calling thread included. */
  readonly threads: number;
  /** Why fewer threads run than were asked for (a browser's main thread, a page without cross-origin isolation); undefined when all run. */
  readonly threadLimit: string | undefined;
  /** Whether the matrix products fuse their multiply-adds (relaxed SIMD). */
  readonly fma: boolean;
  /** Whether products with a mostly-zero left operand skip its zeros (same results, faster). */
  readonly skipZeros: boolean;
  /** Whether eligible convolutions run Winograd's algorithm (see `RuntimeOptions.winograd`). */
  readonly winograd: boolean;
  /** Products run so far, by kernel (the matmul wrapper counts them). */
  readonly products: ProductCounts;
  /** Forward convolutions run so far, by algorithm (the conv wrapper counts them). */
  readonly convolutions: ConvolutionCounts;
  /** Seconds each thread has spent running the tasks of parallel jobs since the start, main thread first. */
  busySeconds(): readonly number[];
  /** Stops the workers. The runtime must not be used afterwards. */
  dispose(): Promise<void>;
}

/** How many products ran dense and how many skipped the zeros of their left operand. */
export interface ProductCounts {
  dense: number;
  skippingZeros: number;
}

/**
 * How many forward convolutions ran as products over patches (im2col), how many by
 * Winograd's algorithm, and how many as products over patches fused with the max pooling
 * of their output.
 */
export interface ConvolutionCounts {
  im2col: number;
  winograd: number;
  maxPooled: number;
}

/** Where the runtime's fixed regions sit in memory, in bytes. */
export interface MemoryLayout {
  readonly threads: number;
  readonly control: number;
  readonly scratch: number;
  readonly scratchStride: number;
  /** Start of the heap that tensors live in, past everything else. */
  readonly heapBase: number;
}

/**
 * Lays out the control block, then one scratch area per thread (page-aligned, so threads
 * never share a cache line), then the heap.
 */
export const layoutMemory = (kernels: KernelExports, threads: number): MemoryLayout => {
  const control = alignUp(kernels.heapBase(), 64);
  const scratch = alignUp(control + kernels.controlBytes(), 4096);
  const scratchStride = alignUp(kernels.scratchBytesPerThread(), 4096);
  return { threads, control, scratch, scratchStride, heapBase: scratch + threads * scratchStride };
};

/** Throws when a parallel job reported that a worker never finished its share. */
export const checkJob = (status: number): void => {
  if (status !== 0)
    throw new Error('a wasm worker thread did not finish its share of a job within 60 s; the backend is unusable');
};

/** Each thread's busy-time counter: the first f64 of its scratch area, which its jobs add to. */
export const readBusySeconds = (memory: WasmMemory, layout: MemoryLayout): number[] => {
  const doubles = new Float64Array(memory.buffer);
  return Array.from({ length: layout.threads }, (_, i) => doubles[(layout.scratch + i * layout.scratchStride) >> 3]);
};
