import type { Clock } from './exports.js';
import type { WasmModule } from './webassembly.js';
import type { WorkerInit } from './worker-init.js';

/** How many threads a host can run, and why not more when it is limited. */
export interface ThreadCapacity {
  /** The most threads, the calling thread included; `Infinity` when unlimited. */
  readonly most: number;
  /** Why the host cannot run more than `most`, when it is finite. */
  readonly reason?: string;
}

/** Compute threads a host started; each runs the kernels' worker loop. */
export interface ComputeThreads {
  /**
   * Waits until the threads are gone, once `stopWorkers` has told them to leave their
   * loops (or ends them outright where the host can).
   */
  stop(): Promise<void>;
}

/**
 * What starting the kernels needs from the platform: Node.js (files, `worker_threads`)
 * or a browser (fetch, Web Workers). Everything else about a runtime is the same on
 * both (see `startRuntime`).
 */
export interface RuntimeHost {
  /** The thread count used when none is asked for. */
  defaultThreads(): number;
  threadCapacity(): ThreadCapacity;
  /** Whether relaxed SIMD runs here, turning it on first where the host can. */
  enableRelaxedSimd(): boolean;
  /** Compiles the kernels module, the build with fused multiply-adds when `fma`. */
  compileKernels(fma: boolean): Promise<WasmModule>;
  /** Starts one thread per init; resolves once each has its instance and is about to wait for jobs. */
  startThreads(inits: readonly WorkerInit[]): Promise<ComputeThreads>;
  /** The clock in milliseconds the kernels read to time their busy spans. */
  readonly now: Clock;
}
