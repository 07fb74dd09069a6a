// Reading a model with explain: train the tutorial's network, then ask which pixels its
// answer for a test digit rests on. Integrated Gradients adds up each pixel's share of
// the change in the answer's probability from a black image to the digit.
//   npm run example -w @axon/examples -- src/guide/explain.ts [samples = 60000] [epochs = 3]
import * as E from 'fp-ts/lib/Either.js';
import { createWasmBackend } from '@axon/backend-wasm';
import { mnist, ndArrayToTensor, renderDataError, scaleToUnit, takeRows } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { attributionScale, integratedGradients, modelScores } from '@axon/explain';
import { mnistDataDir } from '@axon/mnist-data';
import { adam, fit, initTrainState, layers, losses } from '@axon/nn';
import { key, tensor } from '@axon/tensor';

const [samples = 60_000, epochs = 3] = process.argv.slice(2).map(Number);

const loaded = await loadDataset(mnist, { bundledDir: mnistDataDir })();
if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
const { train, test } = loaded.right;
const first = Array.from({ length: samples }, (_, i) => i);
const data = {
  x: ndArrayToTensor(scaleToUnit(takeRows(train.inputs, first))),
  y: tensor(train.labels.subarray(0, samples)),
};

const model = layers.sequential([
  layers.flatten(),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(10, { activation: 'softmax' }),
]);
const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
const backend = await createWasmBackend();
const { state } = await fit(plan, initTrainState(plan, key(0), [28, 28], { backend }), data, {
  epochs,
  batchSize: 128,
});

// The model as a function from images to class probabilities, and three test digits.
const f = modelScores(model, state.params);
const images = ndArrayToTensor(scaleToUnit(takeRows(test.inputs, [0, 1, 2])));
const { attributions, classes, scores, completenessError } = integratedGradients(f, images, { steps: 64 });
classes.forEach((c, i) => {
  const probability = scores.values[i * 10 + c];
  console.log(
    `test image ${i}: a ${test.labels[i]}, read as ${c} (probability ${probability.toFixed(3)}); attributions add up to within ${Math.abs(completenessError[i]).toExponential(1)}`,
  );
});

// The first digit's attributions as text: + where a pixel raised the probability of the
// answer, - where it lowered it, . for the rest of the digit's ink.
const values = attributions.values.subarray(0, 784);
const scale = attributionScale(values);
const art = Array.from({ length: 28 }, (_, row) =>
  Array.from({ length: 28 }, (_, col) => {
    const i = row * 28 + col;
    if (values[i] > 0.2 * scale) return '+';
    if (values[i] < -0.2 * scale) return '-';
    return images.values[i] > 0.3 ? '.' : ' ';
  })
    .join('')
    .trimEnd(),
);
console.log(art.filter((line) => line !== '').join('\n'));
await backend.dispose();
