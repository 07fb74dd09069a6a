/** One benchmark run: a backend (and its mode or thread count) and how many epochs to train. */
export interface RunConfig {
  readonly label: string;
  readonly backend: 'js' | 'wasm' | 'gpu';
  readonly threads?: number;
  readonly gpuMode?: 'webasm' | 'headlessgl';
  readonly epochs: number;
}

/** What one run measured. */
export interface RunResult {
  readonly label: string;
  readonly backendReason: string;
  readonly secondsPerEpoch: readonly number[];
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  /** Predicting the 10,000 test images in one batch. */
  readonly inferenceImagesPerSecond: number;
  readonly peakRssMiB: number;
}

/** The runs `npm run bench` makes: the headline (wasm, 2 threads, 10 epochs), then one epoch elsewhere. */
export const runConfigs: readonly RunConfig[] = [
  { label: 'wasm, 2 threads', backend: 'wasm', threads: 2, epochs: 10 },
  { label: 'wasm, 1 thread', backend: 'wasm', threads: 1, epochs: 1 },
  { label: 'js (plain TypeScript)', backend: 'js', epochs: 1 },
  { label: 'gpu.js webasm', backend: 'gpu', gpuMode: 'webasm', epochs: 1 },
  { label: 'gpu.js headlessgl', backend: 'gpu', gpuMode: 'headlessgl', epochs: 1 },
];
