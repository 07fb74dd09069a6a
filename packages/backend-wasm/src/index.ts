/**
 * @axon/backend-wasm: a CPU backend for @axon/tensor whose hot kernels (float32
 * matmul and dense, their gradients, cross-entropy, Adam) are WebAssembly SIMD,
 * spread over threads that share the module's memory.
 *
 * This entry runs in browsers: it fetches the kernels by URL and computes on Web
 * Workers. Node.js resolves the package to `src/edge/index.ts` instead (the `node` export
 * condition), which reads the kernels from the package's files and computes on
 * `worker_threads`; both export the same API.
 *
 * @example
 * ```ts
 * import { createWasmBackend, isWasmBackendSupported } from '@axon/backend-wasm';
 * import { jsBackend } from '@axon/tensor';
 *
 * const backend = isWasmBackendSupported() ? await createWasmBackend({ threads: 2 }) : jsBackend;
 * ```
 */
import { wasmBackendOn, type WasmBackend, type WasmBackendOptions } from './backend/create.js';
import { browserHost } from './edge/browser-host.js';

export type { WasmBackend, WasmBackendOptions, WasmUsage } from './backend/create.js';
export type { ConvolutionCounts, ProductCounts } from './runtime/runtime.js';
export type { HeapUsage } from './runtime/heap.js';
export { ReleasedStorageError, type TransferCounts } from './runtime/resident.js';
export { isWasmBackendSupported } from './runtime/features.js';

/**
 * Starts a WebAssembly-SIMD backend with `threads` compute threads (default: the
 * browser's `navigator.hardwareConcurrency`), each a Web Worker but the calling one.
 * More than one thread runs only inside a worker of a cross-origin isolated page (a
 * page's main thread cannot block in `Atomics.wait`); elsewhere the backend runs on one
 * thread and `threadLimit` says why. Results are the same for every thread count.
 * `dispose` terminates the workers.
 *
 * @example
 * ```ts
 * // In a Web Worker of a page served with COOP/COEP headers:
 * const backend = await createWasmBackend({ threads: 4 });
 * const y = matmul(tensor(a, { backend }), tensor(b, { backend }));
 * await backend.dispose();
 * ```
 */
export const createWasmBackend: (options?: WasmBackendOptions) => Promise<WasmBackend> = wasmBackendOn(browserHost);
