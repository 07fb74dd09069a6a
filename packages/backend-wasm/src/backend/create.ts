import type { Backend } from '@axon/tensor';
import { isWasmBackendSupported } from '../runtime/features.js';
import type { HeapUsage } from '../runtime/heap.js';
import type { RuntimeHost } from '../runtime/host.js';
import type { RuntimeOptions } from '../runtime/options.js';
import type { ConvolutionCounts, ProductCounts } from '../runtime/runtime.js';
import type { TransferCounts } from '../runtime/resident.js';
import { startRuntime } from '../runtime/start.js';
import { wasmBackend } from './wasm-backend.js';

/** Options of `createWasmBackend`. */
export type WasmBackendOptions = RuntimeOptions;

/** What a wasm backend has done and holds, for benchmarks and diagnostics. */
export interface WasmUsage {
  /** The wasm memory that tensors live in. */
  readonly heap: HeapUsage;
  /** Copies between host arrays and wasm memory since the backend started. */
  readonly transfers: TransferCounts;
  /** Seconds each thread has spent computing parallel jobs since the backend started, main thread first. */
  readonly busySeconds: readonly number[];
  /** Matrix products since the backend started: dense, and skipping their left operand's zeros. */
  readonly products: ProductCounts;
  /** Forward convolutions since the backend started: as products over patches, by Winograd's algorithm, and fused with a max pooling. */
  readonly convolutions: ConvolutionCounts;
}

/** A wasm backend, which owns worker threads until disposed. */
export interface WasmBackend extends Backend {
  /** Threads large kernels run on, the calling thread included. */
  readonly threads: number;
  /**
   * Why fewer threads run than were asked for, else undefined: in a browser, a page's
   * main thread cannot wait for workers (`Atomics.wait`), and a page that is not
   * cross-origin isolated cannot share memory with them.
   */
  readonly threadLimit: string | undefined;
  /** Whether matrix products fuse multiply-adds (see `WasmBackendOptions.fma`). */
  readonly fma: boolean;
  /** Whether products with a mostly-zero left operand skip its zeros (see `WasmBackendOptions.skipZeros`). */
  readonly skipZeros: boolean;
  /** Whether eligible convolutions run Winograd's algorithm (see `WasmBackendOptions.winograd`). */
  readonly winograd: boolean;
  usage(): WasmUsage;
  /** Stops the worker threads; the backend must not be used afterwards. */
  dispose(): Promise<void>;
}

/** `createWasmBackend` for a host: Node.js or a browser. */
export const wasmBackendOn =
  (host: RuntimeHost) =>
  async (options: WasmBackendOptions = {}): Promise<WasmBackend> => {
    if (!isWasmBackendSupported())
      throw new Error('this host lacks WebAssembly SIMD or shared memory; use jsBackend instead');
    const runtime = await startRuntime(host, options);
    return {
      ...wasmBackend(runtime),
      threads: runtime.threads,
      threadLimit: runtime.threadLimit,
      fma: runtime.fma,
      skipZeros: runtime.skipZeros,
      winograd: runtime.winograd,
      usage: () => ({
        heap: runtime.heap.usage(),
        transfers: runtime.memory.transfers(),
        busySeconds: runtime.busySeconds(),
        products: { ...runtime.products },
        convolutions: { ...runtime.convolutions },
      }),
      dispose: runtime.dispose,
    };
  };
