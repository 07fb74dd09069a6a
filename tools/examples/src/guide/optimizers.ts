// Gradient descent, stochastic gradient descent (SGD) and Adam train the tutorial's
// network on MNIST from the same initial weights. Gradient descent takes one step per
// epoch, on the gradient of all the samples; SGD takes a step per batch of 128, on that
// batch's gradient; Adam too, with a step size of its own for every weight.
//   npm run example -w @axon/examples -- src/guide/optimizers.ts [samples = 10000] [epochs = 10]
import * as E from 'fp-ts/lib/Either.js';
import { createWasmBackend } from '@axon/backend-wasm';
import { mnist, ndArrayToTensor, renderDataError, scaleToUnit, takeRows } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { mnistDataDir } from '@axon/mnist-data';
import { adam, evaluate, fit, initTrainState, layers, losses, sgd } from '@axon/nn';
import { key, tensor } from '@axon/tensor';

const samples = Number(process.argv[2] ?? 10_000);
const epochs = Number(process.argv[3] ?? 10);

const loaded = await loadDataset(mnist, { bundledDir: mnistDataDir })();
if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
const { train, test } = loaded.right;
const first = Array.from({ length: samples }, (_, i) => i);
const data = {
  x: ndArrayToTensor(scaleToUnit(takeRows(train.inputs, first))),
  y: tensor(train.labels.subarray(0, samples)),
};
const testData = { x: ndArrayToTensor(scaleToUnit(test.inputs)), y: tensor(test.labels) };

const model = layers.sequential([
  layers.flatten(),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(10, { activation: 'softmax' }),
]);
const loss = losses.sparseCategoricalCrossentropy();
const runs = [
  { name: 'gradient descent', optimizer: sgd(0.1), batchSize: samples },
  { name: 'SGD', optimizer: sgd(0.1), batchSize: 128 },
  { name: 'Adam', optimizer: adam(1e-3), batchSize: 128 },
];

const backend = await createWasmBackend();
const results = [];
for (const { name, optimizer, batchSize } of runs) {
  const plan = { model, loss, optimizer };
  const start = initTrainState(plan, key(0), [28, 28], { backend }); // the same weights for each
  const { state, history } = await fit(plan, start, data, { epochs, batchSize });
  const { accuracy = 0 } = evaluate(model, loss, state.params, testData, { batchSize: 1000 });
  results.push({ name, steps: state.step, losses: history.map((epoch) => epoch.loss), accuracy });
}
await backend.dispose();

// A table: one column per optimizer, one row per epoch of mean training loss.
const row = (cells: readonly string[]): string =>
  cells.map((cell, i) => (i === 0 ? cell.padEnd(6) : cell.padStart(17))).join('');
console.log(`${samples.toLocaleString('en-US')} training samples, mean training loss per epoch:`);
console.log(row(['epoch', ...results.map((r) => r.name)]));
for (let epoch = 0; epoch < epochs; epoch++)
  console.log(row([String(epoch + 1), ...results.map((r) => r.losses[epoch].toFixed(4))]));
console.log(row(['steps', ...results.map((r) => String(r.steps))]));
console.log(row(['test', ...results.map((r) => `${(r.accuracy * 100).toFixed(2)}%`)]));
