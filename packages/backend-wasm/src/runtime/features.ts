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

// A function computing `f32x4.relaxed_madd` of three zero vectors.
const zeroVector = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const relaxedMaddBody = [0x00, ...zeroVector, ...zeroVector, ...zeroVector, 0xfd, 0x85, 0x02, 0x0b];
const relaxedSimdModule = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, relaxedMaddBody.length + 2, 0x01, relaxedMaddBody.length, ...relaxedMaddBody,
]);

/**
 * True when this host runs WebAssembly relaxed SIMD, whose `f32x4.relaxed_madd` the
 * matrix products use as a fused multiply-add (Node 22 and current browsers; Node 20
 * only behind `--experimental-wasm-relaxed-simd`).
 */
export const hasRelaxedSimd = (): boolean => 'WebAssembly' in globalThis && webAssembly.validate(relaxedSimdModule);

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
