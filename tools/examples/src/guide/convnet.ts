// Keras's mnist_convnet in axon: two convolutions, each followed by max pooling, then
// dropout and a softmax over the ten digits; Adam at 0.001, batches of 128. Images keep
// their shape, [28, 28, 1]: height, width and one grey channel.
//   npm run example -w @axon/examples -- src/guide/convnet.ts [samples = 60000] [epochs = 8]
import * as E from 'fp-ts/lib/Either.js';
import { createWasmBackend } from '@axon/backend-wasm';
import { mnist, ndArrayToTensor, renderDataError, scaleToUnit, takeRows, type NdArray } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { mnistDataDir } from '@axon/mnist-data';
import { adam, evaluate, fit, initTrainState, layers, losses } from '@axon/nn';
import { key, reshape, tensor } from '@axon/tensor';

const [samples = 60_000, epochs = 8] = process.argv.slice(2).map(Number);

const loaded = await loadDataset(mnist, { bundledDir: mnistDataDir })();
if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
const { train, test } = loaded.right;
// [n, 28, 28] pixels scaled by 1/255, given a channel axis: [n, 28, 28, 1].
const images = (inputs: NdArray<Uint8Array>) => reshape(ndArrayToTensor(scaleToUnit(inputs)), [-1, 28, 28, 1]);
const first = Array.from({ length: samples }, (_, i) => i);
const data = { x: images(takeRows(train.inputs, first)), y: tensor(train.labels.subarray(0, samples)) };
const testData = { x: images(test.inputs), y: tensor(test.labels) };

const model = layers.sequential([
  layers.conv2d(32, 3, { activation: 'relu' }),
  layers.maxPooling2d(2),
  layers.conv2d(64, 3, { activation: 'relu' }),
  layers.maxPooling2d(2),
  layers.flatten(),
  layers.dropout(0.5),
  layers.dense(10, { activation: 'softmax' }),
]);
console.log(layers.summary(model, [28, 28, 1]));

const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
const backend = await createWasmBackend();
const start = initTrainState(plan, key(0), [28, 28, 1], { backend });
const { state } = await fit(plan, start, data, {
  epochs,
  batchSize: 128,
  callbacks: [
    {
      onEpochEnd: (e) => console.log(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, accuracy ${e.accuracy?.toFixed(4)}`),
    },
  ],
});
// state.modelState holds the state of layers such as batch normalization ({} here).
const { loss, accuracy } = evaluate(model, plan.loss, state.params, testData, {
  batchSize: 1000,
  state: state.modelState,
});
console.log(`test loss ${loss.toFixed(4)}, test accuracy ${((accuracy ?? 0) * 100).toFixed(2)}%`);
await backend.dispose();
