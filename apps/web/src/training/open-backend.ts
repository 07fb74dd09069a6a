import * as E from 'fp-ts/lib/Either.js';
import { createGpuBackend, type GpuModeRequest } from '@axon/backend-gpu';
import { createWasmBackend, isWasmBackendSupported } from '@axon/backend-wasm';
import { jsBackend, type Backend } from '@axon/tensor';
import type { BackendFacts, PageBackend } from './messages.js';

/** A backend opened in the worker, what to say about it, and how to let it go (gpu.js's context goes with the worker). */
export interface OpenedBackend extends BackendFacts {
  readonly backend: Backend;
  release(): Promise<void>;
}

/** The wasm backend on `threads` threads (Web Workers beside this one), or why it cannot run here. */
const openWasm = async (threads: number): Promise<E.Either<string, OpenedBackend>> => {
  if (!isWasmBackendSupported()) return E.left('this browser lacks WebAssembly SIMD or shared WebAssembly memory');
  try {
    const wasm = await createWasmBackend({ threads });
    const fused = wasm.fma
      ? 'multiply-adds fused (relaxed SIMD)'
      : 'multiply-adds rounded twice (no relaxed SIMD here)';
    const limit = wasm.threadLimit === undefined ? '' : ` (${wasm.threadLimit})`;
    return E.right({
      backend: wasm,
      threads: wasm.threads,
      fma: wasm.fma,
      description: `WebAssembly SIMD on ${wasm.threads} thread${wasm.threads === 1 ? '' : 's'}${limit}, ${fused}`,
      release: () => wasm.dispose(),
    });
  } catch (error) {
    return E.left(`the WebAssembly backend did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
};

/**
 * Opens the backend the page asked for, inside the training worker. gpu.js's choice
 * of mode comes with its reason (a software rasterizer such as SwiftShader is named as
 * such); a backend that cannot run here is an error that says why.
 */
export const openBackend = async (
  backend: PageBackend,
  gpuMode: GpuModeRequest,
  threads: number,
): Promise<E.Either<string, OpenedBackend>> => {
  switch (backend) {
    case 'js':
      return E.right({
        backend: jsBackend,
        description: 'JavaScript: the reference backend, one thread',
        release: async () => undefined,
      });
    case 'gpu': {
      const choice = createGpuBackend({ mode: gpuMode });
      if (E.isLeft(choice)) return choice;
      const { backend: gpu, mode, hardware, reason } = choice.right;
      return E.right({
        backend: gpu,
        mode,
        description: `gpu.js ${mode}${hardware ? ' on a GPU' : ''}: ${reason}`,
        release: async () => undefined,
      });
    }
    case 'wasm':
      return openWasm(threads);
  }
};
