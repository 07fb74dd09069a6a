import { kernelExports, kernelImports, type Clock, type KernelExports } from './exports.js';
import { webAssembly, type WasmMemory, type WasmModule } from './webassembly.js';

/** What a worker is started with: the compiled module, the shared memory and its place. */
export interface WorkerInit {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly control: number;
  /** The worker's share index, 1 and up (the main thread computes share 0). */
  readonly index: number;
}

/** Checks data received across the thread boundary. */
export const isWorkerInit = (value: unknown): value is WorkerInit => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.module instanceof webAssembly.Module &&
    v.memory instanceof webAssembly.Memory &&
    Number.isInteger(v.control) &&
    Number.isInteger(v.index)
  );
};

/**
 * A compute thread's start, in Node.js and browsers alike: checks what it was sent,
 * instantiates the module over the shared memory and points the instance at the control
 * block, with `now` as the kernels' clock. The caller says it is ready, then enters
 * `workerLoop(init.index)`.
 */
export const instantiateWorker = (
  init: unknown,
  now: Clock,
): { readonly kernels: KernelExports; readonly index: number } => {
  if (!isWorkerInit(init)) throw new Error('the wasm compute worker was started without its module and memory');
  const kernels = kernelExports(new webAssembly.Instance(init.module, kernelImports(init.memory, now)));
  kernels.attach(init.control);
  return { kernels, index: init.index };
};
