/** The models the benchmarks train: the tutorial's MLP, or Keras's mnist_convnet (`axon train --model cnn`). */
export type BenchModel = 'mlp' | 'cnn';

/** One benchmark run: a model, a backend (and its mode or thread count) and how many epochs to train. */
export interface RunConfig {
  readonly label: string;
  /** `mlp` unless stated. */
  readonly model?: BenchModel;
  readonly backend: 'js' | 'wasm' | 'gpu';
  readonly threads?: number;
  /** wasm: fuse the products' multiply-adds where the host can (the default). */
  readonly fma?: boolean;
  readonly gpuMode?: 'webasm' | 'headlessgl';
  readonly epochs: number;
}

/** What the wasm backend did during training, per step or as a share of the training time. */
export interface WasmFigures {
  readonly threads: number;
  readonly fma: boolean;
  /** Whole host arrays copied into wasm memory, and storage copied out, per step (count and bytes). */
  readonly uploadsPerStep: number;
  readonly uploadBytesPerStep: number;
  readonly downloadsPerStep: number;
  readonly downloadBytesPerStep: number;
  /** Batch rows gathered from the host data set straight into wasm memory, bytes per step. */
  readonly gatheredBytesPerStep: number;
  /** Each thread's time in parallel jobs' tasks as a share of the training time, main thread first. */
  readonly busyShare: readonly number[];
  /** Matrix products per step that skipped their left operand's zeros, and all products per step. */
  readonly zeroSkippingPerStep: number;
  readonly productsPerStep: number;
  /** The most wasm memory tensors held, in MiB. */
  readonly heapMiB: number;
}

/** What one run measured. */
export interface RunResult {
  readonly label: string;
  readonly backendReason: string;
  readonly secondsPerEpoch: readonly number[];
  readonly steps: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  /** Predicting the 10,000 test images: in one batch (MLP), in batches of 1,000 (CNN, as PyTorch's script does). */
  readonly inferenceImagesPerSecond: number;
  readonly peakRssMiB: number;
  /** Garbage-collection pauses during training, as a share of the training time. */
  readonly gcShare: number;
  readonly wasm?: WasmFigures;
}

/**
 * The runs `npm run bench` makes: the headline (wasm on 2 threads, 10 epochs, the
 * tutorial's settings), wasm on 1 thread and without fused multiply-adds (3 epochs),
 * one epoch on each other backend, then Keras's mnist_convnet on wasm (2 threads, 2 epochs).
 */
export const runConfigs: readonly RunConfig[] = [
  { label: 'wasm, 2 threads', backend: 'wasm', threads: 2, epochs: 10 },
  { label: 'wasm, 1 thread', backend: 'wasm', threads: 1, epochs: 3 },
  { label: 'wasm, 2 threads, no FMA', backend: 'wasm', threads: 2, fma: false, epochs: 3 },
  { label: 'js (plain TypeScript)', backend: 'js', epochs: 1 },
  { label: 'gpu.js webasm', backend: 'gpu', gpuMode: 'webasm', epochs: 1 },
  { label: 'gpu.js headlessgl', backend: 'gpu', gpuMode: 'headlessgl', epochs: 1 },
  { label: 'CNN: wasm, 2 threads', model: 'cnn', backend: 'wasm', threads: 2, epochs: 2 },
];

/** The steady-state figure of a run: the median epoch, leaving out the first (which warms up) when there are more. */
export const steadySecondsPerEpoch = (seconds: readonly number[]): number => {
  const steady = seconds.length > 1 ? seconds.slice(1) : seconds;
  const sorted = [...steady].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
