// Learning from little data: the tutorial's network trained on the first 1,000 MNIST
// images, once as they are and once with every batch shifted, turned and zoomed at
// random (as Keras's RandomTranslation, RandomRotation and RandomZoom do), then tested
// on all 10,000 test images.
//   npm run example -w @axon/examples -- src/guide/little-data.ts [samples = 1000] [epochs = 50] [seed = 0]
import * as E from 'fp-ts/lib/Either.js';
import { createWasmBackend } from '@axon/backend-wasm';
import {
  imageAugmentation,
  mnist,
  ndArrayToTensor,
  renderDataError,
  scaleToUnit,
  takeRows,
  tensorAugmentation,
} from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { mnistDataDir } from '@axon/mnist-data';
import { adam, evaluate, fit, initTrainState, layers, losses, type InputTransform } from '@axon/nn';
import { key, tensor } from '@axon/tensor';

const [samples = 1000, epochs = 50, seed = 0] = process.argv.slice(2).map(Number);

const loaded = await loadDataset(mnist, { bundledDir: mnistDataDir })();
if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
const { train, test } = loaded.right;
const first = Array.from({ length: samples }, (_, i) => i);
const data = {
  x: ndArrayToTensor(scaleToUnit(takeRows(train.inputs, first))),
  y: tensor(train.labels.subarray(0, samples)),
};
const testData = { x: ndArrayToTensor(scaleToUnit(test.inputs)), y: tensor(test.labels) };

// Shifts of up to 10% of the size, turns of up to 3% of a full turn (about 11°), zooms of
// up to 10%, each drawn anew for every image of every batch from the run's key.
const augment = tensorAugmentation(
  imageAugmentation({
    translation: { heightFactor: 0.1, widthFactor: 0.1 },
    rotation: { factor: 0.03 },
    zoom: { heightFactor: 0.1 },
  }),
);

const model = layers.sequential([
  layers.flatten(),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(10, { activation: 'softmax' }),
]);
const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
const backend = await createWasmBackend();

const trainAndTest = async (transformInputs?: InputTransform): Promise<number> => {
  const start = initTrainState(plan, key(seed), [28, 28], { backend });
  const { state } = await fit(plan, start, data, { epochs, batchSize: 128, transformInputs });
  return evaluate(model, plan.loss, state.params, testData, { batchSize: 1000 }).accuracy ?? 0;
};
const plain = await trainAndTest();
const augmented = await trainAndTest(augment);
await backend.dispose();

console.log(
  `${samples.toLocaleString('en-US')} training images, ${epochs} epochs, seed ${seed}; accuracy on the 10,000 test images:`,
);
console.log(`  as they are     ${(plain * 100).toFixed(2)}%`);
console.log(`  augmented       ${(augmented * 100).toFixed(2)}%`);
