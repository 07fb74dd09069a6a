/**
 * One benchmark run in its own process (so peak memory is the run's own): loads real
 * MNIST from ../shared/data/mnist, trains the tutorial's MLP (784-128-128-10, Adam 1e-3,
 * batch 128, seed 0) on the configured backend, evaluates on the test set, times
 * inference on all 10,000 test images at once, and prints one JSON line.
 *
 *   tsx --conditions=@axon/source src/run.ts '<RunConfig as JSON>'
 */
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { flow, pipe } from 'fp-ts/lib/function.js';
import { measure } from '@axon/bench';
import { flatten, mapInputs, mnist, ndArrayToTensor, renderDataError, scaleToUnit } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { adam, evaluate, fit, initTrainState, layers, losses, predict } from '@axon/nn';
import { createWasmBackend } from '@axon/backend-wasm';
import { createGpuBackend } from '@axon/backend-gpu/node';
import { jsBackend, key, type Backend } from '@axon/tensor';
import type { RunConfig, RunResult } from './config.js';

const config = JSON.parse(process.argv[2] ?? '{}') as RunConfig;
const dataDir = fileURLToPath(new URL('../../../../shared/data/mnist', import.meta.url));

const chooseBackend = async (): Promise<{ backend: Backend; reason: string }> => {
  if (config.backend === 'wasm') {
    const backend = await createWasmBackend({ threads: config.threads });
    return { backend, reason: `${backend.threads} thread(s)` };
  }
  if (config.backend === 'gpu') {
    const choice = createGpuBackend({ mode: config.gpuMode });
    if (E.isLeft(choice)) throw new Error(choice.left);
    return { backend: choice.right.backend, reason: choice.right.reason };
  }
  return { backend: jsBackend, reason: 'reference backend' };
};

/** Real MNIST as float32 tensors; the raw 8-bit arrays are garbage once this returns. */
const loadMnist = async () => {
  const loaded = await loadDataset(mnist, { dir: dataDir, download: false })();
  if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
  const prepare = mapInputs(flow(scaleToUnit, flatten));
  const asTensors = (split: typeof loaded.right.train) =>
    pipe(prepare(split), (d) => ({ x: ndArrayToTensor(d.inputs), y: ndArrayToTensor({ values: d.labels, shape: [d.labels.length] }) }));
  return { train: asTensors(loaded.right.train), test: asTensors(loaded.right.test) };
};
const { train, test } = await loadMnist();

const { backend, reason } = await chooseBackend();
const model = layers.sequential([
  layers.dense(128, { activation: 'relu' }),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(10, { activation: 'softmax' }),
]);
const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
const result = await fit(plan, initTrainState(plan, key(0), [784], { backend }), train, {
  epochs: config.epochs,
  batchSize: 128,
  now: () => performance.now(),
  // One turn of the event loop per step lets finalizers free device textures.
  callbacks: [{ onBatchEnd: () => new Promise<void>((resolve) => setImmediate(resolve)) }],
});
if (result.error !== undefined) throw result.error;
const { params } = result.state;
const testResult = evaluate(model, plan.loss, params, test, { batchSize: 10_000 });
const inference = measure(() => predict(model, params, test.x, { batchSize: 10_000 }).values, 1000, 2);

const report: RunResult = {
  label: config.label,
  backendReason: reason,
  secondsPerEpoch: result.history.map((h) => h.seconds ?? NaN),
  trainAccuracy: result.history[result.history.length - 1].accuracy ?? NaN,
  testAccuracy: testResult.accuracy ?? NaN,
  inferenceImagesPerSecond: (10_000 / inference.medianMs) * 1000,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
};
console.log(JSON.stringify(report));
process.exit(0);
