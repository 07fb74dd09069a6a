import * as E from 'fp-ts/lib/Either.js';
import { createGpuBackend } from '@axon/backend-gpu/node';
import { isWasmBackendSupported } from '@axon/backend-wasm';
import { availableParallelism } from 'node:os';
import type { BackendStatus } from './backend-status.js';

/**
 * The backends of this build and whether each can run here: the plain TypeScript one
 * always; the WebAssembly one where Node has WebAssembly SIMD and shared memory; the
 * gpu.js one in whatever mode gpu.js can run, chosen automatically only on a real GPU.
 *
 * @example
 * await detectBackends(); // [{ name: 'gpu', … }, { name: 'wasm', available: true, … }, { name: 'js', … }]
 */
export async function detectBackends(): Promise<readonly BackendStatus[]> {
  const gpu = createGpuBackend({ mode: 'auto' });
  const wasm = isWasmBackendSupported();
  return [
    E.isRight(gpu)
      ? {
          name: 'gpu',
          available: true,
          automatic: gpu.right.hardware,
          detail: `gpu.js ${gpu.right.mode}: ${gpu.right.reason}`,
        }
      : { name: 'gpu', available: false, automatic: false, detail: gpu.left },
    {
      name: 'wasm',
      available: wasm,
      automatic: true,
      detail: wasm
        ? `WebAssembly SIMD, up to ${availableParallelism()} threads (--threads)`
        : 'this Node lacks WebAssembly SIMD or SharedArrayBuffer',
    },
    { name: 'js', available: true, automatic: true, detail: 'plain TypeScript, runs everywhere' },
  ];
}
