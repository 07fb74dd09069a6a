/**
 * A compute thread in a browser: a Web Worker that receives the compiled module and the
 * shared memory in its first message, instantiates the module over it, says so, and runs
 * jobs until it is terminated. Every signal after the first message goes through
 * atomics in the control block, never through messages.
 */
import { instantiateWorker } from '../runtime/worker-init.js';

interface WorkerScope {
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  postMessage(message: unknown): void;
}
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (event) => {
  scope.onmessage = null;
  const { kernels, index } = instantiateWorker(event.data, () => performance.now());
  scope.postMessage('ready');
  kernels.workerLoop(index);
};
