import type { Padding } from '@axon/tensor';
import type { ActivationName } from '../activations/activations.js';
import type { InitializerConfig } from '../initializers/initializers.js';

/** A dense layer: `activation(x · kernel + bias)` over the last axis. */
export interface DenseConfig {
  readonly kind: 'dense';
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerConfig;
  readonly biasInitializer: InitializerConfig;
}

/** An activation applied element-wise (softmax: over the last axis). */
export interface ActivationConfig {
  readonly kind: 'activation';
  readonly activation: ActivationName;
}

/** Inverted dropout of a fraction `rate` of the inputs while training. */
export interface DropoutConfig {
  readonly kind: 'dropout';
  readonly rate: number;
}

/** Flattens each sample to one axis, in row-major (channels-last) order. */
export interface FlattenConfig {
  readonly kind: 'flatten';
}

/** Reshapes each sample to `targetShape` (one extent may be -1). */
export interface ReshapeConfig {
  readonly kind: 'reshape';
  readonly targetShape: readonly number[];
}

/** A 2-D convolution over NHWC images: `activation(conv2d(x, kernel) + bias)`. */
export interface Conv2DConfig {
  readonly kind: 'conv2d';
  /** Output channels. */
  readonly filters: number;
  /** `[height, width]` of the kernel. */
  readonly kernelSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: Padding;
  readonly dilation: readonly [number, number];
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerConfig;
  readonly biasInitializer: InitializerConfig;
}

/** Max or average pooling over windows of NHWC images, per channel. */
export interface Pooling2DConfig<K extends 'maxPooling2d' | 'averagePooling2d'> {
  readonly kind: K;
  readonly poolSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: Padding;
}

/** Max pooling: each window's maximum. */
export type MaxPooling2DConfig = Pooling2DConfig<'maxPooling2d'>;

/** Average pooling: each window's mean over its in-bounds elements. */
export type AveragePooling2DConfig = Pooling2DConfig<'averagePooling2d'>;

/** The mean over each image's pixels, per channel: `[h, w, c]` samples to `[c]`. */
export interface GlobalAveragePooling2DConfig {
  readonly kind: 'globalAveragePooling2d';
}

/** Batch normalization over the last axis, with moving statistics as state. */
export interface BatchNormalizationConfig {
  readonly kind: 'batchNormalization';
  /** Weight of the old moving statistics in each update. */
  readonly momentum: number;
  /** Added to the variance before its square root. */
  readonly epsilon: number;
  /** Whether there is a learned offset `beta`. */
  readonly center: boolean;
  /** Whether there is a learned scale `gamma`. */
  readonly scale: boolean;
}

/** Layers applied one after another. */
export interface SequentialConfig {
  readonly kind: 'sequential';
  readonly layers: readonly LayerConfig[];
}

/**
 * A layer as plain, JSON-serializable data: enough to rebuild it with
 * `layers.fromConfig` and to write a Keras / TensorFlow.js `model.json`
 * (Dense, Activation, Dropout, Flatten, Reshape, Conv2D, MaxPooling2D,
 * AveragePooling2D, GlobalAveragePooling2D, BatchNormalization, Sequential).
 */
export type LayerConfig =
  | DenseConfig
  | ActivationConfig
  | DropoutConfig
  | FlattenConfig
  | ReshapeConfig
  | Conv2DConfig
  | MaxPooling2DConfig
  | AveragePooling2DConfig
  | GlobalAveragePooling2DConfig
  | BatchNormalizationConfig
  | SequentialConfig;

const showPair = ([h, w]: readonly [number, number]): string => `${h}x${w}`;

const samePair = (a: readonly [number, number], b: readonly [number, number]): boolean =>
  a[0] === b[0] && a[1] === b[1];

/** Strides, dilation and padding where they differ from the defaults, e.g. `, strides 2x2, same`. */
const windowOptions = (
  strides: readonly [number, number],
  defaultStrides: readonly [number, number],
  padding: Padding,
  dilation: readonly [number, number] = [1, 1],
): string =>
  [
    samePair(strides, defaultStrides) ? '' : `, strides ${showPair(strides)}`,
    samePair(dilation, [1, 1]) ? '' : `, dilation ${showPair(dilation)}`,
    padding === 'valid' ? '' : `, ${padding}`,
  ].join('');

/**
 * A short description of a layer for messages and summaries, e.g. `dense(128, relu)`.
 *
 * @example
 * ```ts
 * describeLayer({ kind: 'dropout', rate: 0.2 }); // 'dropout(0.2)'
 * ```
 */
export const describeLayer = (config: LayerConfig): string => {
  switch (config.kind) {
    case 'dense':
      return `dense(${config.units}, ${config.activation})`;
    case 'activation':
      return `activation(${config.activation})`;
    case 'dropout':
      return `dropout(${config.rate})`;
    case 'flatten':
      return 'flatten';
    case 'reshape':
      return `reshape([${config.targetShape.join(',')}])`;
    case 'conv2d':
      return `conv2d(${config.filters}, ${showPair(config.kernelSize)}${windowOptions(config.strides, [1, 1], config.padding, config.dilation)}, ${config.activation})`;
    case 'maxPooling2d':
    case 'averagePooling2d':
      return `${config.kind}(${showPair(config.poolSize)}${windowOptions(config.strides, config.poolSize, config.padding)})`;
    case 'globalAveragePooling2d':
      return 'globalAveragePooling2d';
    case 'batchNormalization':
      return `batchNormalization(momentum ${config.momentum}, epsilon ${config.epsilon})`;
    case 'sequential':
      return `sequential(${config.layers.length} layers)`;
  }
};
