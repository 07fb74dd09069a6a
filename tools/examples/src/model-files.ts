// Models as files from code: train with fit, save in the TensorFlow.js layers format,
// load it back (as a browser would, or as tf.loadLayersModel does), predict, and
// export to ONNX for ONNX Runtime and other frameworks.
import { writeFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { mnist, ndArrayToTensor, renderDataError, scaleToUnit, takeRows } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { renderModelFileError, toOnnx } from '@axon/io';
import { loadModel, saveModel } from '@axon/io/node';
import { adam, fit, initTrainState, layers, losses, predict } from '@axon/nn';
import { argmax, key, tensor } from '@axon/tensor';

const loaded = await loadDataset(mnist, { dir: process.argv[2] ?? '../shared/data/mnist' })();
if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
const { train, test } = loaded.right;
const first = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const x = ndArrayToTensor(scaleToUnit(takeRows(train.inputs, first(5000))));
const y = tensor(train.labels.subarray(0, 5000));

const model = layers.sequential([
  layers.flatten(),
  layers.dense(64, { activation: 'relu' }),
  layers.dense(10, { activation: 'softmax' }),
]);
const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
const { state } = await fit(plan, initTrainState(plan, key(0), [28, 28]), { x, y }, { epochs: 2, batchSize: 128 });

const saved = await saveModel('mnist-model', model, state.params, {
  inputShape: [28, 28],
  metadata: { classes: '0123456789' },
})();
if (E.isLeft(saved)) throw new Error(renderModelFileError(saved.left));

const reloaded = await loadModel('mnist-model')();
if (E.isLeft(reloaded)) throw new Error(renderModelFileError(reloaded.left));
const again = layers.fromConfig(reloaded.right.config);
const images = ndArrayToTensor(scaleToUnit(takeRows(test.inputs, first(5))));
const predicted = argmax(predict(again, reloaded.right.params, images), 1);
console.log(
  `predicted ${Array.from(predicted.values).join(' ')}, true ${Array.from(test.labels.subarray(0, 5)).join(' ')}`,
);

const onnx = toOnnx(again, reloaded.right.params, { inputShape: reloaded.right.inputShape });
if (E.isLeft(onnx)) throw new Error(onnx.left);
await writeFile('mnist-model.onnx', onnx.right);
