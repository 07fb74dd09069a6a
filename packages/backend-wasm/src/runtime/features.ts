import { webAssembly } from './webassembly.js';

// The smallest modules that need each feature: a function returning `v128.const 0`,
// and a one-page shared memory.
const simdModule = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b, // body: v128.const 0
]);
const sharedMemoryModule = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
  0x05, 0x04, 0x01, 0x03, 0x01, 0x01, // memory: min 1, max 1, shared
]);

/**
 * True when this host runs WebAssembly SIMD and shared memory (with
 * `SharedArrayBuffer`), which the wasm backend needs; callers can fall back to
 * `jsBackend` otherwise.
 *
 * @example
 * ```ts
 * const backend = isWasmBackendSupported() ? await createWasmBackend() : jsBackend;
 * ```
 */
export const isWasmBackendSupported = (): boolean =>
  'WebAssembly' in globalThis &&
  typeof SharedArrayBuffer === 'function' &&
  webAssembly.validate(simdModule) &&
  webAssembly.validate(sharedMemoryModule);
