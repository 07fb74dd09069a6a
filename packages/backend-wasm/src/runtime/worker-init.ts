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
