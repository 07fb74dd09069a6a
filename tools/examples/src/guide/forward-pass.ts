// The forward pass of the tutorial's network, 784 → 128 → 128 → 10, by hand on the
// first MNIST test image: each layer is y = f(xW + b). Untrained, it guesses; the same
// weights in layers.sequential give the same probabilities.
import * as E from 'fp-ts/lib/Either.js';
import { mnist, ndArrayToTensor, renderDataError, scaleToUnit, takeRows } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { mnistDataDir } from '@axon/mnist-data';
import { initializers, layers } from '@axon/nn';
import {
  abs,
  add,
  argmax,
  key,
  matmul,
  max,
  relu,
  reshape,
  softmax,
  split,
  sub,
  zeros,
  type Tensor,
  type TensorTree,
} from '@axon/tensor';

const loaded = await loadDataset(mnist, { bundledDir: mnistDataDir })(); // MNIST ships with axon
if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
const { test } = loaded.right;
const image = ndArrayToTensor(scaleToUnit(takeRows(test.inputs, [0]))); // [1, 28, 28], pixels / 255
const x = reshape(image, [1, 784]); // flatten: one row of 784 inputs

// Weights drawn as Keras draws them (Glorot uniform), biases zero.
const [k1, k2, k3] = split(key(0), 3);
const glorot = initializers.glorotUniform();
const W1 = glorot.sample(k1, [784, 128]),
  b1 = zeros([128]);
const W2 = glorot.sample(k2, [128, 128]),
  b2 = zeros([128]);
const W3 = glorot.sample(k3, [128, 10]),
  b3 = zeros([10]);

const h1 = relu(add(matmul(x, W1), b1)); // [1, 128]
const h2 = relu(add(matmul(h1, W2), b2)); // [1, 128]
const p = softmax(add(matmul(h2, W3), b3)); // [1, 10]: one probability per digit
const shape = (t: Tensor): string => `[${t.shape.join(', ')}]`;
console.log(`x ${shape(x)} → h1 ${shape(h1)} → h2 ${shape(h2)} → p ${shape(p)}`);
console.log(
  `p = ${Array.from(p.values)
    .map((v) => v.toFixed(3))
    .join(' ')}`,
);
console.log(`guess ${argmax(p, 1).item()} (true digit ${test.labels[0]}): untrained weights guess`);

// The same network as layers; its params are the same weights, layer by layer.
const model = layers.sequential([
  layers.flatten(),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(10, { activation: 'softmax' }),
]);
console.log(layers.summary(model, [28, 28]));
const params: TensorTree[] = [{}, { kernel: W1, bias: b1 }, { kernel: W2, bias: b2 }, { kernel: W3, bias: b3 }];
console.log(`largest difference from the model: ${max(abs(sub(model.apply(params, image), p))).item()}`);
