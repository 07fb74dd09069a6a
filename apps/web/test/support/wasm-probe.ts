import { createWasmBackend } from '@axon/backend-wasm';
import { key, matmul, uniform, type Backend } from '@axon/tensor';

/** What a probe page reports: the threads the backend runs, why not more, and a product's values. */
export interface WasmProbe {
  readonly threads: number;
  readonly threadLimit: string;
  readonly fma: boolean;
  readonly values: readonly number[];
  /** Seconds the second thread spent on parallel jobs, if there is one: above 0 once a worker took part. */
  readonly workerSeconds: number;
}

/** A product large enough to be split into parallel tasks where there are threads (64×300 by 300×40). */
export const matmulProbe = (backend: Backend): number[] =>
  Array.from(matmul(uniform(key(1), [64, 300], { backend }), uniform(key(2), [300, 40], { backend })).values);

/** Starts the wasm backend here asking for 2 threads, computes the probe product, and disposes of it. */
export const probeWasm = async (): Promise<WasmProbe | { readonly error: string }> => {
  try {
    const backend = await createWasmBackend({ threads: 2 });
    // Several jobs: the calling thread can finish a job alone, so a worker woken late
    // (on a loaded machine) may miss one, but hardly all.
    const values = Array.from({ length: 20 }, () => matmulProbe(backend)).at(-1) ?? [];
    const probe = {
      threads: backend.threads,
      threadLimit: backend.threadLimit ?? '',
      fma: backend.fma,
      values,
      workerSeconds: backend.usage().busySeconds[1] ?? 0,
    };
    await backend.dispose();
    return probe;
  } catch (error) {
    return { error: String(error) };
  }
};
