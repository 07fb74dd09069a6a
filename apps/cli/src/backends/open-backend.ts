import * as E from 'fp-ts/lib/Either.js';
import { createGpuBackend } from '@axon/backend-gpu/node';
import { createWasmBackend } from '@axon/backend-wasm';
import { jsBackend, type Backend } from '@axon/tensor';
import type { BackendChoice, BackendName, GpuModeName } from '../training/vocabulary.js';
import { chooseBackend } from './backend-status.js';
import { detectBackends } from './detect-backends.js';

/** A backend ready to run, what it is, and how to release what it holds (worker threads). */
export interface OpenedBackend {
  readonly name: BackendName;
  readonly backend: Backend;
  /** For the training header and `--json`'s start event, e.g. `wasm (2 threads): the fastest …`. */
  readonly description: string;
  readonly close: () => Promise<void>;
}

/** How the user asked for a backend. */
export interface BackendRequest {
  readonly backend: BackendChoice;
  readonly gpuMode: GpuModeName;
  readonly threads: number | null;
}

const nothingToClose = async (): Promise<void> => undefined;

/**
 * Opens the backend a command runs on: the one `--backend` names, or for `auto` the
 * fastest that runs here (a real GPU, else WebAssembly SIMD, else plain TypeScript).
 * Left is one line saying why the request cannot be met.
 *
 * @example
 * const opened = await openBackend({ backend: 'auto', gpuMode: 'auto', threads: null });
 */
export async function openBackend(request: BackendRequest): Promise<E.Either<string, OpenedBackend>> {
  const pick = chooseBackend(await detectBackends(), request.backend);
  if (E.isLeft(pick)) return pick;
  const { name, reason } = pick.right;
  switch (name) {
    case 'wasm': {
      const backend = await createWasmBackend(request.threads === null ? {} : { threads: request.threads });
      const threads = `${backend.threads} thread${backend.threads === 1 ? '' : 's'}`;
      return E.right({
        name,
        backend,
        description: `wasm (WebAssembly SIMD, ${threads}): ${reason}`,
        close: backend.dispose,
      });
    }
    case 'gpu': {
      // Under auto, only a real GPU was eligible; asked for by name, the requested mode.
      const choice = createGpuBackend({ mode: request.backend === 'auto' ? 'gpu' : request.gpuMode });
      if (E.isLeft(choice)) return E.left(`--backend gpu: ${choice.left}`);
      const { backend, mode } = choice.right;
      return E.right({
        name,
        backend,
        description: `gpu (gpu.js ${mode}: ${choice.right.reason})`,
        close: nothingToClose,
      });
    }
    case 'js':
      return E.right({
        name,
        backend: jsBackend,
        description: `js (plain TypeScript): ${reason}`,
        close: nothingToClose,
      });
  }
}
