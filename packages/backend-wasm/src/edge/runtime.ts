/**
 * Starting the kernels module in Node: reading the compiled module, creating the shared
 * memory and the worker threads. The only part of the package that touches files and
 * threads.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { kernelExports, kernelImports } from '../runtime/exports.js';
import { WasmHeap } from '../runtime/heap.js';
import { ResidentMemory } from '../runtime/resident.js';
import { layoutMemory, readBusySeconds, type WasmRuntime } from '../runtime/runtime.js';
import type { WorkerInit } from '../runtime/worker-init.js';
import { webAssembly } from '../runtime/webassembly.js';
import { hasRelaxedSimd } from '../runtime/features.js';

/** Options of {@link startWasmRuntime}. */
export interface RuntimeOptions {
  /** Threads for large kernels, the calling thread included; defaults to the available cores. */
  readonly threads?: number;
  /**
   * Polls (about 0.5 ns each) a thread makes for the next job or task before it sleeps;
   * 0 by default. Polling cuts the few microseconds it takes to wake a worker, but on a
   * machine shared with other work a polling worker takes CPU time from the threads
   * doing useful work, which costs far more: measured there, a 2-thread training step
   * took 1.6 ms without polling and 2.9 ms with 100 µs of it. Raise it on a dedicated
   * machine.
   */
  readonly spin?: number;
  /**
   * Multiply-adds in the matrix products fused into one rounding, where the host has
   * relaxed SIMD (true unless stated). Faster; products then differ from a plain float32
   * loop in the last bits (still identical for any thread count). False keeps every
   * product equal to the plain loop.
   */
  readonly fma?: boolean;
}

/**
 * Relaxed SIMD where the host has it or can be given it: Node 20 and 21 have a complete
 * implementation behind `--experimental-wasm-relaxed-simd` (on by default from Node 22,
 * V8 11.4). The flag is read when a module is validated or compiled, so setting it
 * before compiling the kernels is enough; it changes nothing for modules that do not use
 * relaxed SIMD.
 */
const enableRelaxedSimd = (): boolean => {
  if (hasRelaxedSimd()) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return hasRelaxedSimd();
};

const DEFAULT_SPIN = 0;
/** The memory starts with this much room for tensors and grows as they need. */
const INITIAL_HEAP_BYTES = 16 << 20;
/** 2 GiB: addresses stay positive 32-bit integers on the JavaScript side. */
const MAXIMUM_PAGES = 32768;
const PAGE = 65536;

// From src/edge/ and from dist/edge/ alike, these name the build's outputs.
const moduleUrl = new URL('../../dist/wasm/kernels.wasm', import.meta.url);
const fmaModuleUrl = new URL('../../dist/wasm/kernels-fma.wasm', import.meta.url);
const workerUrl = new URL('../../dist/edge/worker.js', import.meta.url);

/**
 * Compiles the kernels module, instantiates it over a new shared memory, and starts
 * `threads - 1` workers running the same module; resolves once every worker is waiting
 * for jobs.
 *
 * @example
 * ```ts
 * const runtime = await startWasmRuntime({ threads: 2 });
 * // ... run kernels ...
 * await runtime.dispose();
 * ```
 */
export const startWasmRuntime = async (options: RuntimeOptions = {}): Promise<WasmRuntime> => {
  const threads = options.threads ?? availableParallelism();
  const spin = options.spin ?? DEFAULT_SPIN;
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer, got ${threads}`);
  if (!Number.isInteger(spin) || spin < 0 || spin > 2 ** 31 - 1) throw new Error(`spin must be an integer from 0 to 2^31 - 1, got ${spin}`);
  const fma = (options.fma ?? true) && enableRelaxedSimd();
  const module = await webAssembly.compile(await readFile(fma ? fmaModuleUrl : moduleUrl));
  const memory = new webAssembly.Memory({ initial: 1, maximum: MAXIMUM_PAGES, shared: true });
  const now = (): number => performance.now();
  const kernels = kernelExports(new webAssembly.Instance(module, kernelImports(memory, now)));
  const layout = layoutMemory(kernels, threads);
  memory.grow(Math.ceil((layout.heapBase + INITIAL_HEAP_BYTES) / PAGE) - 1);
  kernels.attach(layout.control);
  kernels.configure(threads, spin, layout.scratch, layout.scratchStride);
  const workers = Array.from({ length: threads - 1 }, (_, i) => {
    const init: WorkerInit = { module, memory, control: layout.control, index: i + 1 };
    return new Worker(workerUrl, { workerData: init });
  });
  try {
    await Promise.all(workers.map((worker) => once(worker, 'message')));
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  }
  // Idle workers must not keep the process alive.
  workers.forEach((worker) => worker.unref());
  const heap = new WasmHeap(memory, layout.heapBase, MAXIMUM_PAGES * PAGE);
  return {
    kernels,
    heap,
    memory: new ResidentMemory(heap),
    threads,
    fma,
    busySeconds: () => readBusySeconds(memory, layout),
    dispose: async () => {
      // Referenced again, so that the process waits for them to leave.
      workers.forEach((worker) => worker.ref());
      const exited = workers.map((worker) => once(worker, 'exit'));
      kernels.stopWorkers();
      await Promise.all(exited);
    },
  };
};

