import { webAssembly } from './webassembly.js';

// `v128.const 0`: the instruction and its sixteen zero bytes.
const zeroVector = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

/** The bytes of a module with one function `() -> v128` made of `instructions` (no locals). */
const moduleReturningV128 = (instructions: readonly number[]): Uint8Array => {
  const body = [0x00, ...instructions, 0x0b]; // no locals, the instructions, end
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // header
    ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b], // type: () -> v128
    ...[0x03, 0x02, 0x01, 0x00], // one function of that type
    ...[0x0a, body.length + 2, 0x01, body.length, ...body], // its code
  ]);
};

// The smallest module that needs SIMD, and one that needs relaxed SIMD's
// `f32x4.relaxed_madd` (of three zero vectors).
const simdModule = moduleReturningV128(zeroVector);
const relaxedSimdModule = moduleReturningV128([...zeroVector, ...zeroVector, ...zeroVector, 0xfd, 0x85, 0x02]);

/**
 * True when this host runs WebAssembly relaxed SIMD, whose `f32x4.relaxed_madd` the
 * matrix products use as a fused multiply-add (Node 22 and current browsers; Node 20
 * only behind `--experimental-wasm-relaxed-simd`).
 */
export const hasRelaxedSimd = (): boolean => 'WebAssembly' in globalThis && webAssembly.validate(relaxedSimdModule);

/**
 * Whether this host makes shared WebAssembly memories, which the kernels module imports.
 * Chromium makes them even in pages that hide `SharedArrayBuffer` for lack of
 * cross-origin isolation (only sending one to a worker needs isolation, which the
 * thread count accounts for); a browser that refuses is a host the backend does not
 * support.
 */
const makesSharedMemory = (): boolean => {
  try {
    new webAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
};

/**
 * True when this host runs WebAssembly SIMD and makes shared memories, which the wasm
 * backend needs; callers can fall back to `jsBackend` otherwise.
 *
 * @example
 * ```ts
 * const backend = isWasmBackendSupported() ? await createWasmBackend() : jsBackend;
 * ```
 */
export const isWasmBackendSupported = (): boolean =>
  'WebAssembly' in globalThis && webAssembly.validate(simdModule) && makesSharedMemory();
