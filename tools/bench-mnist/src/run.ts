/**
 * One benchmark run in its own process (so peak memory is the run's own): loads real
 * MNIST from ../shared/data/mnist, trains the tutorial's MLP (784-128-128-10) or Keras's
 * mnist_convnet (`model: 'cnn'`, as `axon train --model cnn` builds it), Adam 1e-3,
 * batch 128, seed 0, on the configured backend, evaluates on the test set, times
 * inference on the 10,000 test images (at once for the MLP, in batches of 1,000 for the
 * CNN, as PyTorch's script does), and prints one JSON line. On the wasm
 * backend it also reports the copies per step, each thread's busy share and the heap.
 *
 *   tsx --conditions=@axon/source src/run.ts '<RunConfig as JSON>'
 */
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { measure } from '@axon/bench';
import { flatten, mapInputs, mnist, ndArrayToTensor, renderDataError, unitScaledTensor } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { adam, evaluate, fit, initTrainState, layers, losses, predict } from '@axon/nn';
import { createWasmBackend, type WasmBackend, type WasmUsage } from '@axon/backend-wasm';
import { createGpuBackend } from '@axon/backend-gpu/node';
import { jsBackend, key, reshape, type Backend } from '@axon/tensor';
import type { RunConfig, RunResult, WasmFigures } from './config.js';

const config = JSON.parse(process.argv[2] ?? '{}') as RunConfig;
const dataDir = fileURLToPath(new URL('../../../../shared/data/mnist', import.meta.url));

const chooseBackend = async (): Promise<{ backend: Backend; wasm?: WasmBackend; reason: string }> => {
  if (config.backend === 'wasm') {
    const wasm = await createWasmBackend({ threads: config.threads, fma: config.fma });
    return {
      backend: wasm,
      wasm,
      reason: `${wasm.threads} thread(s), ${wasm.fma ? 'fused multiply-adds (relaxed SIMD)' : 'separate multiply and add'}`,
    };
  }
  if (config.backend === 'gpu') {
    const choice = createGpuBackend({ mode: config.gpuMode });
    if (E.isLeft(choice)) throw new Error(choice.left);
    return { backend: choice.right.backend, reason: choice.right.reason };
  }
  return { backend: jsBackend, reason: 'reference backend' };
};

/** Real MNIST as float32 tensors scaled by 1/255, kept as their bytes (`unitScaledTensor`), as `axon train` keeps them. */
const loadMnist = async () => {
  const loaded = await loadDataset(mnist, { dir: dataDir, download: false })();
  if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
  const prepare = mapInputs(flatten<Uint8Array>);
  const asTensors = (split: typeof loaded.right.train) =>
    pipe(prepare(split), (d) => ({
      x: unitScaledTensor(d.inputs),
      y: ndArrayToTensor({ values: d.labels, shape: [d.labels.length] }),
    }));
  return { train: asTensors(loaded.right.train), test: asTensors(loaded.right.test) };
};

/** What the wasm backend did between two readings of its usage. */
const wasmFigures = (
  wasm: WasmBackend,
  before: WasmUsage,
  after: WasmUsage,
  steps: number,
  seconds: number,
): WasmFigures => {
  const perStep = (field: keyof WasmUsage['transfers']): number =>
    (after.transfers[field] - before.transfers[field]) / steps;
  return {
    threads: wasm.threads,
    fma: wasm.fma,
    uploadsPerStep: perStep('uploads'),
    uploadBytesPerStep: perStep('uploadBytes'),
    downloadsPerStep: perStep('downloads'),
    downloadBytesPerStep: perStep('downloadBytes'),
    gatheredBytesPerStep: perStep('gatheredBytes'),
    busyShare: after.busySeconds.map((busy, i) => (busy - before.busySeconds[i]) / seconds),
    zeroSkippingPerStep: (after.products.skippingZeros - before.products.skippingZeros) / steps,
    productsPerStep:
      (after.products.skippingZeros + after.products.dense - before.products.skippingZeros - before.products.dense) /
      steps,
    heapMiB: after.heap.heapBytes / 2 ** 20,
  };
};

const cnn = config.model === 'cnn';
/** The CNN takes [28, 28, 1] images: the flat rows reshaped, no copy. */
const asImages = <D extends { x: ReturnType<typeof ndArrayToTensor> }>(d: D): D =>
  cnn ? { ...d, x: reshape(d.x, [d.x.shape[0], 28, 28, 1]) } : d;
const mnistData = await loadMnist();
const train = asImages(mnistData.train);
const test = asImages(mnistData.test);
const { backend, wasm, reason } = await chooseBackend();
const model = layers.sequential(
  cnn
    ? [
        layers.conv2d(32, 3, { activation: 'relu' }),
        layers.maxPooling2d(2),
        layers.conv2d(64, 3, { activation: 'relu' }),
        layers.maxPooling2d(2),
        layers.flatten(),
        layers.dropout(0.5),
        layers.dense(10, { activation: 'softmax' }),
      ]
    : [
        layers.dense(128, { activation: 'relu' }),
        layers.dense(128, { activation: 'relu' }),
        layers.dense(10, { activation: 'softmax' }),
      ],
);
const sampleShape = cnn ? [28, 28, 1] : [784];
// The CNN's activations for 10,000 images at once would take about 1.3 GB.
const inferenceBatch = cnn ? 1000 : 10_000;
const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };

// Every garbage-collection pause, with when it started, to sum those during training.
const pauses: { start: number; duration: number }[] = [];
const observer = new PerformanceObserver((list) =>
  list.getEntries().forEach((e) => pauses.push({ start: e.startTime, duration: e.duration })),
);
observer.observe({ entryTypes: ['gc'] });

const usageBefore = wasm?.usage();
const trainStart = performance.now();
const result = await fit(plan, initTrainState(plan, key(0), sampleShape, { backend }), train, {
  epochs: config.epochs,
  batchSize: 128,
  now: () => performance.now(),
  // One turn of the event loop per step, as the CLI gives (signals, finalizers).
  callbacks: [{ onBatchEnd: () => new Promise<void>((resolve) => setImmediate(resolve)) }],
});
const trainEnd = performance.now();
const usageAfter = wasm?.usage();
if (result.error !== undefined) throw result.error;
const { params } = result.state;
const testResult = evaluate(model, plan.loss, params, test, { batchSize: inferenceBatch });
const inference = measure(() => predict(model, params, test.x, { batchSize: inferenceBatch }).values, 1000, 2);
// Let the observer deliver the last entries.
await new Promise((resolve) => setTimeout(resolve, 50));
observer.disconnect();

const trainSeconds = (trainEnd - trainStart) / 1000;
const steps = result.state.step;
const gcSeconds =
  pauses.filter((p) => p.start >= trainStart && p.start < trainEnd).reduce((total, p) => total + p.duration, 0) / 1000;
const report: RunResult = {
  label: config.label,
  backendReason: reason,
  secondsPerEpoch: result.history.map((h) => h.seconds ?? NaN),
  steps,
  trainAccuracy: result.history[result.history.length - 1].accuracy ?? NaN,
  testAccuracy: testResult.accuracy ?? NaN,
  inferenceImagesPerSecond: (10_000 / inference.medianMs) * 1000,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
  gcShare: gcSeconds / trainSeconds,
  ...(wasm && usageBefore && usageAfter
    ? { wasm: wasmFigures(wasm, usageBefore, usageAfter, steps, trainSeconds) }
    : {}),
};
console.log(JSON.stringify(report));
process.exit(0);
