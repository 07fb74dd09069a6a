import { kernelExports, kernelImports } from './exports.js';
import { WasmHeap } from './heap.js';
import type { RuntimeHost } from './host.js';
import type { RuntimeOptions } from './options.js';
import { ResidentMemory } from './resident.js';
import { layoutMemory, readBusySeconds, type WasmRuntime } from './runtime.js';
import { webAssembly } from './webassembly.js';
import type { WorkerInit } from './worker-init.js';

const DEFAULT_SPIN = 0;
/** The memory starts with this much room for tensors and grows as they need. */
const INITIAL_HEAP_BYTES = 16 << 20;
/** 2 GiB: addresses stay positive 32-bit integers on the JavaScript side. */
const MAXIMUM_PAGES = 32768;
const PAGE = 65536;

/**
 * Compiles the kernels module, instantiates it over a new shared memory, and has the
 * host start `threads - 1` workers running the same module; resolves once every worker
 * is waiting for jobs. Asked for more threads than the host can run, it runs as many as
 * it can and says why in `threadLimit`.
 *
 * @example
 * ```ts
 * const runtime = await startRuntime(nodeHost, { threads: 2 });
 * // ... run kernels ...
 * await runtime.dispose();
 * ```
 */
export const startRuntime = async (host: RuntimeHost, options: RuntimeOptions): Promise<WasmRuntime> => {
  const wanted = options.threads ?? host.defaultThreads();
  const spin = options.spin ?? DEFAULT_SPIN;
  if (!Number.isInteger(wanted) || wanted < 1) throw new Error(`threads must be a positive integer, got ${wanted}`);
  if (!Number.isInteger(spin) || spin < 0 || spin > 2 ** 31 - 1)
    throw new Error(`spin must be an integer from 0 to 2^31 - 1, got ${spin}`);
  const capacity = host.threadCapacity();
  const threads = Math.min(wanted, capacity.most);
  const threadLimit =
    threads < wanted
      ? `${threads} of the ${wanted} threads asked for: ${capacity.reason ?? 'the host runs no more'}`
      : undefined;
  const fma = (options.fma ?? true) && host.enableRelaxedSimd();
  const module = await host.compileKernels(fma);
  const memory = new webAssembly.Memory({ initial: 1, maximum: MAXIMUM_PAGES, shared: true });
  const kernels = kernelExports(new webAssembly.Instance(module, kernelImports(memory, host.now)));
  const layout = layoutMemory(kernels, threads);
  memory.grow(Math.ceil((layout.heapBase + INITIAL_HEAP_BYTES) / PAGE) - 1);
  kernels.attach(layout.control);
  kernels.configure(threads, spin, layout.scratch, layout.scratchStride);
  const inits = Array.from({ length: threads - 1 }, (_, i): WorkerInit => ({
    module,
    memory,
    control: layout.control,
    index: i + 1,
  }));
  const workers = await host.startThreads(inits);
  const heap = new WasmHeap(memory, layout.heapBase, MAXIMUM_PAGES * PAGE);
  return {
    kernels,
    heap,
    memory: new ResidentMemory(heap),
    threads,
    threadLimit,
    fma,
    skipZeros: options.skipZeros ?? true,
    winograd: options.winograd ?? true,
    products: { dense: 0, skippingZeros: 0 },
    convolutions: { im2col: 0, winograd: 0, maxPooled: 0 },
    busySeconds: () => readBusySeconds(memory, layout),
    dispose: async () => {
      kernels.stopWorkers();
      await workers.stop();
    },
  };
};
