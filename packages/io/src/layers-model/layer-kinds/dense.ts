import type { layers } from '@axon/nn';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { PositiveInteger } from '../../codec/numbers.js';
import { Flag } from '../../codec/primitives.js';
import { ReadableActivation, kerasActivationOf } from '../keras-activation.js';
import { initializerOf, kerasInitializer } from '../keras-initializer.js';
import { activationNodes } from '../../onnx/onnx-nodes.js';
import { type LayerKind, readWith } from './layer-kind.js';

type DenseConfig = layers.DenseConfig;

const DenseJson = t.intersection(
  [
    t.type({ units: PositiveInteger }),
    t.partial({
      activation: ReadableActivation,
      use_bias: Flag,
      kernel_initializer: t.unknown,
      bias_initializer: t.unknown,
    }),
  ],
  'a Dense layer config ({ name, units, activation, use_bias })',
);

/**
 * `Dense`: `activation(x · kernel + bias)` over the last axis, its kernel
 * [inputs, units] and bias [units] stored in that order (Keras's layout, so no
 * transposes). Keras's defaults apply to absent fields: linear, with bias,
 * Glorot-uniform kernel, zero bias.
 */
export const denseKind: LayerKind<DenseConfig> = {
  kind: 'dense',
  classNames: ['Dense'],
  read: (_className, config) =>
    readWith(DenseJson, config, (json) =>
      E.right({
        kind: 'dense',
        units: json.units,
        activation: json.activation ?? 'linear',
        useBias: json.use_bias ?? true,
        kernelInitializer: initializerOf(json.kernel_initializer, { kind: 'glorotUniform' }),
        biasInitializer: initializerOf(json.bias_initializer, { kind: 'zeros' }),
      }),
    ),
  write: (config) => ({
    className: 'Dense',
    config: {
      units: config.units,
      // Encoding splits a leaky-ReLU dense layer into Dense and LeakyReLU before this.
      activation: kerasActivationOf(config.activation) ?? 'linear',
      use_bias: config.useBias,
      kernel_initializer: kerasInitializer(config.kernelInitializer),
      bias_initializer: kerasInitializer(config.biasInitializer),
    },
  }),
  outputShape: (config, inputShape) =>
    inputShape.length === 0
      ? E.left('a sample of at least one axis for a Dense layer')
      : E.right([...inputShape.slice(0, -1), config.units]),
  weights: (config, inputShape) => {
    const kernel = {
      name: 'kernel',
      key: 'kernel',
      collection: 'params' as const,
      shape: [inputShape[inputShape.length - 1], config.units],
    };
    return config.useBias
      ? [kernel, { name: 'bias', key: 'bias', collection: 'params' as const, shape: [config.units] }]
      : [kernel];
  },
  // MatMul and Add rather than Gemm, which takes only two-axis inputs.
  onnx: (config, _inputShape, input, weights, nodes) => {
    const product = nodes.node('MatMul', [input, nodes.floats('kernel', weights.kernel.shape, weights.kernel.values)]);
    const biased = config.useBias
      ? nodes.node('Add', [product, nodes.floats('bias', weights.bias.shape, weights.bias.values)])
      : product;
    return activationNodes(config.activation, biased, nodes);
  },
};
