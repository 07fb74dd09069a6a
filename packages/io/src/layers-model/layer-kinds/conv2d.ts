import type { layers } from '@axon/nn';
import { conv2dGeometry, transpose } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { PositiveInteger } from '../../codec/numbers.js';
import { Flag } from '../../codec/primitives.js';
import { ReadableActivation, kerasActivationOf } from '../keras-activation.js';
import { initializerOf, kerasInitializer } from '../keras-initializer.js';
import { activationNodes } from '../../onnx/onnx-nodes.js';
import { type LayerKind, readWith } from './layer-kind.js';
import { DataFormatJson, PaddingJson, PairJson, onnxWindow, pairOf, windowOutput } from './window.js';

type Conv2DConfig = layers.Conv2DConfig;

const Conv2DJson = t.intersection(
  [
    t.type({ filters: PositiveInteger, kernel_size: PairJson }),
    t.partial({
      strides: PairJson,
      padding: PaddingJson,
      data_format: DataFormatJson,
      dilation_rate: PairJson,
      groups: t.literal(1, '1 (axon has no grouped convolution)'),
      activation: ReadableActivation,
      use_bias: Flag,
      kernel_initializer: t.unknown,
      bias_initializer: t.unknown,
    }),
  ],
  'a Conv2D layer config ({ name, filters, kernel_size, strides, padding, dilation_rate, activation, use_bias })',
);

/** The extent of a kernel's taps after dilation, as messages show it: `5x5`. */
const span = (config: Conv2DConfig): string =>
  config.kernelSize.map((k, i) => (k - 1) * config.dilation[i] + 1).join('x');

/**
 * `Conv2D` over channels-last images: `activation(conv2d(x, kernel) + bias)`, its kernel
 * `[kernel height, kernel width, input channels, filters]` and bias `[filters]` stored
 * in that order (Keras's layout, so no transposes). Keras's defaults apply to absent
 * fields: strides 1, `valid`, dilation 1, linear, with bias, Glorot-uniform kernel,
 * zero bias.
 */
export const conv2dKind: LayerKind<Conv2DConfig> = {
  kind: 'conv2d',
  classNames: ['Conv2D', 'Convolution2D'],
  read: (_className, config) =>
    readWith(Conv2DJson, config, (json) =>
      E.right({
        kind: 'conv2d',
        filters: json.filters,
        kernelSize: pairOf(json.kernel_size),
        strides: pairOf(json.strides ?? 1),
        padding: json.padding ?? 'valid',
        dilation: pairOf(json.dilation_rate ?? 1),
        activation: json.activation ?? 'linear',
        useBias: json.use_bias ?? true,
        kernelInitializer: initializerOf(json.kernel_initializer, { kind: 'glorotUniform' }),
        biasInitializer: initializerOf(json.bias_initializer, { kind: 'zeros' }),
      }),
    ),
  write: (config) => ({
    className: 'Conv2D',
    config: {
      filters: config.filters,
      kernel_size: [...config.kernelSize],
      strides: [...config.strides],
      padding: config.padding,
      data_format: 'channels_last',
      dilation_rate: [...config.dilation],
      // Encoding splits a leaky-ReLU convolution into Conv2D and LeakyReLU before this.
      activation: kerasActivationOf(config.activation) ?? 'linear',
      use_bias: config.useBias,
      kernel_initializer: kerasInitializer(config.kernelInitializer),
      bias_initializer: kerasInitializer(config.biasInitializer),
    },
  }),
  outputShape: (config, inputShape) =>
    // TensorFlow.js and Keras refuse to run such a layer, so it is never written (or read).
    config.strides.some((s) => s > 1) && config.dilation.some((d) => d > 1)
      ? E.left('strides of 1 where it is dilated (TensorFlow.js and Keras cannot combine strides and dilation)')
      : windowOutput(
          inputShape,
          (xShape) =>
            conv2dGeometry(xShape, [...config.kernelSize, xShape[3], config.filters], {
              strides: config.strides,
              padding: config.padding,
              dilation: config.dilation,
            }),
          span(config),
        ),
  weights: (config, inputShape) => {
    const kernel = {
      name: 'kernel',
      key: 'kernel',
      collection: 'params' as const,
      shape: [...config.kernelSize, inputShape[2], config.filters],
    };
    return config.useBias
      ? [kernel, { name: 'bias', key: 'bias', collection: 'params' as const, shape: [config.filters] }]
      : [kernel];
  },
  // ONNX's Conv is channels-first with [filters, channels, height, width] kernels: the
  // images are transposed around it and the kernel once, into an initializer.
  onnx: (config, inputShape, input, weights, nodes) => {
    const kernelShape = [...config.kernelSize, inputShape[2], config.filters];
    const g = conv2dGeometry([1, ...inputShape], kernelShape, {
      strides: config.strides,
      padding: config.padding,
      dilation: config.dilation,
    });
    const kernel = transpose(weights.kernel, [3, 2, 0, 1]);
    const operands = [
      nodes.floats('kernel', kernel.shape, kernel.values),
      ...(config.useBias ? [nodes.floats('bias', weights.bias.shape, weights.bias.values)] : []),
    ];
    const convolved = onnxWindow(nodes, input, 'Conv', operands, g, { dilations: { ints: [...config.dilation] } });
    return activationNodes(config.activation, convolved, nodes);
  },
};
