import type { GpuModeRequest } from '@axon/backend-gpu';
import type { TransferTree } from './transfer.js';
import type { TutorialRunSettings } from './tutorial-run.js';

/** The backends the page trains on. */
export type PageBackend = 'wasm' | 'gpu' | 'js';

/** What the page shows about the backend that trains. */
export interface BackendFacts {
  readonly description: string;
  /** For gpu.js: the mode that runs. */
  readonly mode?: string;
  /** For wasm: the threads it computes on, and whether its products fuse multiply-adds (relaxed SIMD). */
  readonly threads?: number;
  readonly fma?: boolean;
}

/** What the page asks the training worker to do. */
export interface TrainRequest {
  readonly kind: 'train';
  readonly backend: PageBackend;
  /** For `gpu`: the gpu.js mode, or how to choose one. */
  readonly gpuMode: GpuModeRequest;
  /** For `wasm`: worker threads to compute on. */
  readonly threads: number;
  readonly settings: TutorialRunSettings;
  /** Where the MNIST files are served (absolute). */
  readonly dataUrl: string;
}

/** What the training worker reports, in order: the backend, progress, then the result or an error. */
export type TrainReport =
  | { readonly kind: 'status'; readonly text: string }
  /** The backend that runs, in words: for gpu.js, which mode and why; for wasm, its threads and whether products fuse multiply-adds. */
  | ({ readonly kind: 'backend'; readonly backend: PageBackend } & BackendFacts)
  | {
      readonly kind: 'batch';
      readonly epoch: number;
      readonly epochs: number;
      readonly batch: number;
      readonly batches: number;
      readonly step: number;
      readonly loss: number;
      readonly accuracy: number;
      readonly meanLoss: number;
      readonly meanAccuracy: number;
      /** Seconds since the epoch began. */
      readonly seconds: number;
    }
  | {
      readonly kind: 'epoch';
      readonly epoch: number;
      readonly loss: number;
      readonly accuracy: number;
      readonly seconds: number;
    }
  | {
      readonly kind: 'done';
      readonly params: TransferTree;
      readonly loss: number;
      readonly accuracy: number;
      readonly seconds: number;
    }
  | { readonly kind: 'error'; readonly message: string };
