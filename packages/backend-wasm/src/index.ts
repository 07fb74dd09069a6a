/**
 * @axon/backend-wasm: a CPU backend for @axon/tensor whose hot kernels (float32
 * matmul and dense, their gradients, cross-entropy, Adam) are WebAssembly SIMD,
 * spread over worker threads that share the module's memory.
 *
 * @example
 * ```ts
 * import { createWasmBackend, isWasmBackendSupported } from '@axon/backend-wasm';
 * import { jsBackend } from '@axon/tensor';
 *
 * const backend = isWasmBackendSupported() ? await createWasmBackend({ threads: 2 }) : jsBackend;
 * ```
 */
export { createWasmBackend, type WasmBackend, type WasmBackendOptions, type WasmUsage } from './edge/create.js';
export type { HeapUsage } from './runtime/heap.js';
export { ReleasedStorageError, type TransferCounts } from './runtime/resident.js';
export { isWasmBackendSupported } from './runtime/features.js';
