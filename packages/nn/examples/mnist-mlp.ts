/**
 * The TensorFlow beginner tutorial's program written with axon: MNIST scaled to [0, 1]
 * and flattened, dense(128, relu) → dense(128, relu) → dense(10, softmax), Adam at
 * 0.001, sparse categorical cross-entropy, batches of 128, 10 epochs; then the test
 * accuracy.
 *
 *   npx tsx --conditions=@axon/source packages/nn/examples/mnist-mlp.ts [mnist-dir] [seed]
 *
 * `mnist-dir` holds the four IDX files (gzipped) and defaults to ../shared/data/mnist
 * beside the repository.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { key, tensor, type Tensor } from '@axon/tensor';
import { adam, evaluate, fit, initTrainState, layers, losses } from '@axon/nn';

const dataDir = process.argv[2] ?? fileURLToPath(new URL('../../../../shared/data/mnist', import.meta.url));
const seed = Number(process.argv[3] ?? 0);

/** An IDX file's dimensions and bytes: magic 0x0000080N (N axes, unsigned bytes), N big-endian sizes, data. */
const readIdx = (file: string): { dims: number[]; bytes: Uint8Array } => {
  const raw = gunzipSync(readFileSync(join(dataDir, file)));
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0);
  if (magic >>> 8 !== 0x08) throw new Error(`${file}: not an unsigned-byte IDX file (magic ${magic.toString(16)})`);
  const dims = Array.from({ length: magic & 0xff }, (_, i) => view.getUint32(4 + 4 * i));
  return { dims, bytes: raw.subarray(4 + 4 * dims.length) };
};

/** Images flattened to 784 floats in [0, 1], labels as int32. */
const load = (images: string, labels: string): { x: Tensor; y: Tensor } => {
  const { dims, bytes } = readIdx(images);
  const pixels = dims[1] * dims[2];
  const x = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) x[i] = bytes[i] / 255;
  return { x: tensor(x, { shape: [dims[0], pixels] }), y: tensor(Int32Array.from(readIdx(labels).bytes)) };
};

const train = load('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz');
const test = load('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz');

const model = layers.sequential([
  layers.dense(128, { activation: 'relu' }),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(10, { activation: 'softmax' }),
]);
const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
console.log(layers.summary(model, [784]));
console.log(`\n${train.x.shape[0]} training and ${test.x.shape[0]} test images from ${dataDir}, seed ${seed}\n`);

const started = performance.now();
const { state, history, stopReason, error } = await fit(plan, initTrainState(plan, key(seed), [784]), train, {
  epochs: 10,
  batchSize: 128,
  now: () => performance.now(),
  callbacks: [
    {
      onEpochEnd: (e) =>
        console.log(`epoch ${String(e.epoch).padStart(2)}/${e.epochs}  loss ${e.loss.toFixed(4)}  accuracy ${(e.accuracy ?? NaN).toFixed(4)}  ${(e.seconds ?? NaN).toFixed(1)} s`),
    },
  ],
});
if (error !== undefined) throw error;

const seconds = history.map((h) => h.seconds ?? NaN);
const result = evaluate(model, plan.loss, state.params, test, { batchSize: 128 });
console.log(`\n${stopReason}: ${state.step} steps in ${((performance.now() - started) / 1000).toFixed(1)} s, ${(seconds.reduce((a, b) => a + b, 0) / seconds.length).toFixed(1)} s per epoch`);
console.log(`test loss ${result.loss.toFixed(4)}, test accuracy ${((result.accuracy ?? NaN) * 100).toFixed(2)}%`);
