import { layers } from '@axon/nn';
import { key, uniform } from '@axon/tensor';

// Keras's mnist_convnet with a batch normalization after the first convolution.
const model = layers.sequential([
  layers.conv2d(32, 3, { activation: 'relu' }),
  layers.batchNormalization(),
  layers.maxPooling2d(2),
  layers.conv2d(64, 3, { activation: 'relu' }),
  layers.maxPooling2d(2),
  layers.flatten(),
  layers.dropout(0.5),
  layers.dense(10, { activation: 'softmax' }),
]);
console.log(layers.summary(model, [28, 28, 1])); // 34,954 params, 64 of them non-trainable

// Batch normalization has state (moving mean and variance): init returns it beside the
// params, apply takes it and returns the next one, and inference leaves it unchanged.
const { params, state } = model.init(key(0), [28, 28, 1]);
const images = uniform(key(1), [8, 28, 28, 1]);
const trained = model.apply(params, images, { training: true, key: key(2) }, state); // batch statistics
const { y } = model.apply(params, images, layers.inference, trained.state); // moving statistics
console.log(JSON.stringify(y.shape)); // not shown
