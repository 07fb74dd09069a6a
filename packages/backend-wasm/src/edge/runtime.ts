/**
 * Starting the kernels module in Node.js: reading the compiled module from the package's
 * files, turning on relaxed SIMD where V8 has it behind a flag, and running compute
 * threads as `worker_threads`. The only part of the package that touches Node.js.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { hasRelaxedSimd } from '../runtime/features.js';
import type { RuntimeHost } from '../runtime/host.js';
import type { RuntimeOptions } from '../runtime/options.js';
import type { WasmRuntime } from '../runtime/runtime.js';
import { startRuntime } from '../runtime/start.js';
import { webAssembly } from '../runtime/webassembly.js';

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

// From src/edge/ and from dist/edge/ alike, these name the build's outputs.
const moduleUrl = new URL('../../dist/wasm/kernels.wasm', import.meta.url);
const fmaModuleUrl = new URL('../../dist/wasm/kernels-fma.wasm', import.meta.url);
const workerUrl = new URL('../../dist/edge/node-worker.js', import.meta.url);

/** Node.js as a wasm runtime's host: every thread count, workers that do not keep the process alive while idle. */
export const nodeHost: RuntimeHost = {
  defaultThreads: availableParallelism,
  threadCapacity: () => ({ most: Infinity }),
  enableRelaxedSimd,
  now: () => performance.now(),
  compileKernels: async (fma) => webAssembly.compile(await readFile(fma ? fmaModuleUrl : moduleUrl)),
  startThreads: async (inits) => {
    const workers = inits.map((init) => new Worker(workerUrl, { workerData: init }));
    try {
      await Promise.all(workers.map((worker) => once(worker, 'message')));
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw error;
    }
    // Idle workers must not keep the process alive.
    workers.forEach((worker) => worker.unref());
    return {
      stop: async () => {
        // Referenced again, so that the process waits for them to leave their loops.
        workers.forEach((worker) => worker.ref());
        await Promise.all(workers.map((worker) => once(worker, 'exit')));
      },
    };
  },
};

/**
 * Starts the kernels in Node.js with `threads` compute threads, the calling one
 * included (default: the available cores).
 *
 * @example
 * ```ts
 * const runtime = await startWasmRuntime({ threads: 2 });
 * // ... run kernels ...
 * await runtime.dispose();
 * ```
 */
export const startWasmRuntime = (options: RuntimeOptions = {}): Promise<WasmRuntime> => startRuntime(nodeHost, options);
