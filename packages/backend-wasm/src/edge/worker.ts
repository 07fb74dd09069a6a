/**
 * A compute thread's entry point: instantiate the kernels module over the shared memory,
 * say so, and run jobs until told to stop. Every signal after this goes through atomics
 * in the control block, never through messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { kernelExports, kernelImports } from '../runtime/exports.js';
import { isWorkerInit } from '../runtime/worker-init.js';
import { webAssembly } from '../runtime/webassembly.js';

const init: unknown = workerData;
if (!isWorkerInit(init)) throw new Error('the wasm compute worker was started without its module and memory');
const kernels = kernelExports(new webAssembly.Instance(init.module, kernelImports(init.memory, () => performance.now())));
kernels.attach(init.control);
parentPort?.postMessage('ready');
kernels.workerLoop(init.index);
