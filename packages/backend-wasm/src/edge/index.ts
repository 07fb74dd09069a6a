/**
 * @axon/backend-wasm in Node.js, which the `node` export condition resolves the package
 * to: the same API as the browser entry, with the kernels read from the package's files
 * and compute threads on `worker_threads`.
 *
 * @example
 * ```ts
 * import { createWasmBackend } from '@axon/backend-wasm';
 *
 * const backend = await createWasmBackend({ threads: 2 });
 * ```
 */
import { wasmBackendOn, type WasmBackend, type WasmBackendOptions } from '../backend/create.js';
import { nodeHost } from './runtime.js';

export type { WasmBackend, WasmBackendOptions, WasmUsage } from '../backend/create.js';
export type { ConvolutionCounts, ProductCounts } from '../runtime/runtime.js';
export type { HeapUsage } from '../runtime/heap.js';
export { ReleasedStorageError, type TransferCounts } from '../runtime/resident.js';
export { isWasmBackendSupported } from '../runtime/features.js';

/**
 * Starts a WebAssembly-SIMD backend with `threads` compute threads (default: the
 * available cores), each a worker thread but the calling one. Results are the same for
 * every thread count. Idle workers do not keep the process alive, so disposing is only
 * needed to free them early. On Node 20 and 21 it turns on V8's relaxed SIMD for the
 * fused multiply-adds (see `WasmBackendOptions.fma`).
 *
 * @example
 * ```ts
 * const backend = await createWasmBackend({ threads: 2 });
 * const y = matmul(tensor(a, { backend }), tensor(b, { backend }));
 * await backend.dispose();
 * ```
 */
export const createWasmBackend: (options?: WasmBackendOptions) => Promise<WasmBackend> = wasmBackendOn(nodeHost);
