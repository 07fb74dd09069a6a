/**
 * Starting the kernels module in a browser: fetching the compiled module by URL and
 * running compute threads as Web Workers. Bundlers (Vite, webpack 5, Parcel) see the
 * `new URL(…, import.meta.url)` and `new Worker(new URL(…))` forms below and ship the
 * module and the worker script with the app.
 */
import { hasRelaxedSimd } from '../runtime/features.js';
import type { RuntimeHost, ThreadCapacity } from '../runtime/host.js';
import { webAssembly, type WasmModule } from '../runtime/webassembly.js';

// From src/edge/ and from dist/edge/ alike, these name the build's outputs.
const moduleUrl = (fma: boolean): URL =>
  fma
    ? new URL('../../dist/wasm/kernels-fma.wasm', import.meta.url)
    : new URL('../../dist/wasm/kernels.wasm', import.meta.url);

/** The parts of a browser's global scope the host reads, typed here since the package builds without the DOM library. */
interface BrowserScope {
  readonly navigator?: { readonly hardwareConcurrency?: number };
  readonly crossOriginIsolated?: boolean;
  readonly WorkerGlobalScope?: abstract new () => unknown;
  readonly Worker?: new (url: URL, options: { type: 'module' }) => BrowserWorker;
  readonly fetch: (url: URL) => Promise<FetchResponse>;
}
interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}
interface BrowserWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(
    type: 'message' | 'error' | 'messageerror',
    listener: (event: { readonly message?: string }) => void,
    options?: { once: boolean },
  ): void;
}
interface StreamingCompiler {
  readonly compileStreaming?: (source: Promise<FetchResponse>) => Promise<WasmModule>;
}

const scope = globalThis as unknown as BrowserScope;

/**
 * More than one thread needs a worker to compute in (a page's main thread may not block
 * in `Atomics.wait`, which the calling thread does while workers finish their share),
 * memory that workers can share (only in cross-origin isolated pages: COOP and COEP
 * headers), and workers it can start.
 */
const threadCapacity = (): ThreadCapacity => {
  const inWorker = scope.WorkerGlobalScope !== undefined && globalThis instanceof scope.WorkerGlobalScope;
  if (!inWorker)
    return {
      most: 1,
      reason:
        "a page's main thread cannot wait for worker threads (Atomics.wait); create the backend in a Web Worker for more",
    };
  if (scope.crossOriginIsolated !== true)
    return {
      most: 1,
      reason:
        'the page is not cross-origin isolated (Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers), so threads cannot share memory',
    };
  if (scope.Worker === undefined) return { most: 1, reason: 'this worker cannot start workers of its own' };
  return { most: Infinity };
};

const compileKernels = async (fma: boolean): Promise<WasmModule> => {
  const url = moduleUrl(fma);
  const fetched = await scope.fetch(url);
  if (!fetched.ok) throw new Error(`could not fetch the wasm kernels at ${url.href}: HTTP ${fetched.status}`);
  const compiler = webAssembly as unknown as StreamingCompiler;
  // Streaming compiles while the bytes arrive; it needs the server to say application/wasm.
  if (
    compiler.compileStreaming !== undefined &&
    fetched.headers.get('content-type')?.startsWith('application/wasm') === true
  )
    return compiler.compileStreaming(Promise.resolve(fetched));
  return webAssembly.compile(await fetched.arrayBuffer());
};

/** Starts a Web Worker running the kernels' worker loop; resolves once it is about to wait for jobs. */
const startWorker = (init: unknown, index: number): Promise<BrowserWorker> => {
  const Worker = scope.Worker;
  if (Worker === undefined) return Promise.reject(new Error('this scope cannot start Web Workers'));
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.addEventListener('message', () => resolve(worker), { once: true });
    worker.addEventListener(
      'error',
      (event) =>
        reject(
          new Error(`the wasm compute worker ${index} did not start: ${event.message ?? 'its script failed to load'}`),
        ),
      { once: true },
    );
    worker.addEventListener(
      'messageerror',
      () => reject(new Error(`the wasm compute worker ${index} could not receive the module and memory`)),
      { once: true },
    );
    worker.postMessage(init);
  });
};

/** A browser as a wasm runtime's host (in a page or in a worker). */
export const browserHost: RuntimeHost = {
  defaultThreads: () => scope.navigator?.hardwareConcurrency ?? 1,
  threadCapacity,
  enableRelaxedSimd: hasRelaxedSimd,
  now: () => performance.now(),
  compileKernels,
  startThreads: async (inits) => {
    const started = await Promise.allSettled(inits.map((init) => startWorker(init, init.index)));
    const workers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed !== undefined) {
      workers.forEach((worker) => worker.terminate());
      throw failed.reason;
    }
    return {
      // Web Workers need not leave their loops: terminating ends them wherever they are.
      stop: async () => workers.forEach((worker) => worker.terminate()),
    };
  },
};
