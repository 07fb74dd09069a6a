import * as E from 'fp-ts/lib/Either.js';
import { createGpuBackend, type GpuModeRequest } from '@axon/backend-gpu';
import { jsBackend, type Backend } from '@axon/tensor';
import type { PageBackend } from './messages.js';

/** A backend opened in the worker, what to call it, and how to let it go (gpu.js's context goes with the worker). */
export interface OpenedBackend {
  readonly backend: Backend;
  readonly description: string;
  /** For gpu.js: the mode that runs. */
  readonly mode?: string;
  release(): Promise<void>;
}

/**
 * Opens the backend the page asked for, inside the training worker. gpu.js's choice
 * of mode comes with its reason (a software rasterizer such as SwiftShader is named as
 * such); a backend that cannot run here is an error that says why.
 */
export const openBackend = async (backend: PageBackend, gpuMode: GpuModeRequest, threads: number): Promise<E.Either<string, OpenedBackend>> => {
  switch (backend) {
    case 'js':
      return E.right({ backend: jsBackend, description: 'JavaScript: the reference backend, one thread', release: async () => undefined });
    case 'gpu': {
      const choice = createGpuBackend({ mode: gpuMode });
      if (E.isLeft(choice)) return choice;
      const { backend: gpu, mode, hardware, reason } = choice.right;
      return E.right({ backend: gpu, mode, description: `gpu.js ${mode}${hardware ? ' on a GPU' : ''}: ${reason}`, release: async () => undefined });
    }
    case 'wasm':
      return E.left(`the WebAssembly backend does not run in a browser yet (${threads} threads requested)`);
  }
};
