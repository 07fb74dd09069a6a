// The tutorial's Keras program (mnist-tutorial.py) in axon: MNIST scaled by 1/255,
// flatten → dense(128, relu) → dense(128, relu) → dense(10, softmax),
// Adam at 0.001, sparse categorical cross-entropy, batches of 128, 10 epochs.
import * as E from 'fp-ts/lib/Either.js';
import { mnist, ndArrayToTensor, renderDataError, scaleToUnit, type LabeledDataset } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { mnistDataDir } from '@axon/mnist-data';
import { adam, evaluate, fit, initTrainState, layers, losses } from '@axon/nn';
import { createWasmBackend } from '@axon/backend-wasm';
import { key, tensor } from '@axon/tensor';

const loaded = await loadDataset(mnist, { bundledDir: mnistDataDir })(); // MNIST ships with axon
if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
const tensors = ({ inputs, labels }: LabeledDataset<Uint8Array>) => ({
  x: ndArrayToTensor(scaleToUnit(inputs)),
  y: tensor(labels),
});
const train = tensors(loaded.right.train);
const test = tensors(loaded.right.test);

const model = layers.sequential([
  layers.flatten(),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(10, { activation: 'softmax' }),
]);
const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
const backend = await createWasmBackend();
const start = initTrainState(plan, key(0), [28, 28], { backend });

const { state } = await fit(plan, start, train, {
  epochs: 10,
  batchSize: 128,
  callbacks: [
    {
      onEpochEnd: (e) => console.log(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, accuracy ${e.accuracy?.toFixed(4)}`),
    },
  ],
});
const { loss, accuracy } = evaluate(model, plan.loss, state.params, test, { batchSize: 1000 });
console.log(`test loss ${loss.toFixed(4)}, test accuracy ${((accuracy ?? 0) * 100).toFixed(2)}%`);
await backend.dispose();
