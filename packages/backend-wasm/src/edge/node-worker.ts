/**
 * A compute thread's entry point in Node.js: instantiate the kernels module over the
 * shared memory, say so, and run jobs until told to stop. Every signal after this goes
 * through atomics in the control block, never through messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { instantiateWorker } from '../runtime/worker-init.js';

const { kernels, index } = instantiateWorker(workerData, () => performance.now());
parentPort?.postMessage('ready');
kernels.workerLoop(index);
