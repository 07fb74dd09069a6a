import type { Backend } from '@axon/tensor';
import { wasmBackend } from '../backend/wasm-backend.js';
import { isWasmBackendSupported } from '../runtime/features.js';
import type { HeapUsage } from '../runtime/heap.js';
import type { TransferCounts } from '../runtime/resident.js';
import { startWasmRuntime, type RuntimeOptions } from './runtime.js';

/** Options of {@link createWasmBackend}. */
export type WasmBackendOptions = RuntimeOptions;

/** What a wasm backend has done and holds, for benchmarks and diagnostics. */
export interface WasmUsage {
  /** The wasm memory that tensors live in. */
  readonly heap: HeapUsage;
  /** Copies between host arrays and wasm memory since the backend started. */
  readonly transfers: TransferCounts;
  /** Seconds each thread has spent computing parallel jobs since the backend started, main thread first. */
  readonly busySeconds: readonly number[];
}

/** A wasm backend, which owns worker threads until disposed. */
export interface WasmBackend extends Backend {
  /** Threads large kernels run on, the calling thread included. */
  readonly threads: number;
  /** Whether matrix products fuse multiply-adds (see `WasmBackendOptions.fma`). */
  readonly fma: boolean;
  usage(): WasmUsage;
  /** Stops the worker threads; the backend must not be used afterwards. */
  dispose(): Promise<void>;
}

/**
 * Starts a WebAssembly-SIMD backend with `threads` compute threads (default: the
 * available cores). Results are the same for every thread count. Idle workers do not
 * keep the process alive, so disposing is only needed to free them early.
 *
 * @example
 * ```ts
 * const backend = await createWasmBackend({ threads: 2 });
 * const y = matmul(tensor(a, { backend }), tensor(b, { backend }));
 * await backend.dispose();
 * ```
 */
export const createWasmBackend = async (options: WasmBackendOptions = {}): Promise<WasmBackend> => {
  if (!isWasmBackendSupported()) throw new Error('this host lacks WebAssembly SIMD or shared memory; use jsBackend instead');
  const runtime = await startWasmRuntime(options);
  return {
    ...wasmBackend(runtime),
    threads: runtime.threads,
    fma: runtime.fma,
    usage: () => ({ heap: runtime.heap.usage(), transfers: runtime.memory.transfers(), busySeconds: runtime.busySeconds() }),
    dispose: runtime.dispose,
  };
};
