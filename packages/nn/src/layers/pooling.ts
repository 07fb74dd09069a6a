import {
  avgPool2d,
  globalAvgPool2d,
  maxPool2d,
  pool2dGeometry,
  type Padding,
  type Pair,
  type Tensor,
} from '@axon/tensor';
import type {
  AveragePooling2DConfig,
  GlobalAveragePooling2DConfig,
  MaxPooling2DConfig,
  Pooling2DConfig,
} from './config.js';
import { checkLayer, type Layer, type NoParams } from './layer.js';
import { pairOf, sampleGeometry } from './window.js';

/** Options of the pooling layers; each has the Keras default. */
export interface Pooling2DOptions {
  /** The pool size unless stated. */
  readonly strides?: Pair;
  /** `'valid'` unless stated. */
  readonly padding?: Padding;
}

type PoolOp = (x: Tensor, poolSize: Pair, options: { readonly strides: Pair; readonly padding: Padding }) => Tensor;

/** The config of a pooling layer of `kind`, with Keras's defaults filled in. */
const poolingConfig = <K extends 'maxPooling2d' | 'averagePooling2d'>(
  kind: K,
  poolSize: Pair,
  options: Pooling2DOptions,
): Pooling2DConfig<K> => {
  const size = pairOf(poolSize);
  return { kind, poolSize: size, strides: pairOf(options.strides ?? size), padding: options.padding ?? 'valid' };
};

/** A parameter-free layer running `pool` (the op named `op`) over windows of image samples. */
const pooling = <C extends MaxPooling2DConfig | AveragePooling2DConfig>(
  config: C,
  op: string,
  pool: PoolOp,
): Layer<NoParams, C> => {
  const size = config.poolSize;
  const opOptions = { strides: config.strides, padding: config.padding };
  return {
    config,
    init: (_key, inputShape) => {
      const g = sampleGeometry(config, inputShape, (xShape) => pool2dGeometry(op, xShape, size, opOptions));
      return { params: {}, outputShape: [g.outHeight, g.outWidth, g.outChannels] };
    },
    apply: (_params, x) => {
      checkLayer(
        x.rank === 4,
        config,
        () => `expects images [batch,height,width,channels], got [${x.shape.join(',')}]`,
      );
      return pool(x, size, opOptions);
    },
  };
};

/**
 * Max pooling over windows of image samples `[height, width, channels]`, per channel
 * (Keras's `MaxPooling2D`): pool size 2 and strides equal to it unless stated. The
 * gradient goes to each window's first maximum.
 *
 * @example
 * ```ts
 * layers.maxPooling2d().init(key(0), [26, 26, 32]).outputShape; // [13, 13, 32]
 * ```
 */
export const maxPooling2d = (poolSize: Pair = 2, options: Pooling2DOptions = {}): Layer<NoParams, MaxPooling2DConfig> =>
  pooling(poolingConfig('maxPooling2d', poolSize, options), 'maxPool2d', maxPool2d);

/**
 * Average pooling over windows of image samples, per channel (Keras's
 * `AveragePooling2D`): pool size 2 and strides equal to it unless stated. With `'same'`
 * padding each mean is over the window's elements inside the image.
 *
 * @example
 * ```ts
 * layers.averagePooling2d(3, { strides: 1, padding: 'same' }).init(key(0), [7, 7, 8]).outputShape; // [7, 7, 8]
 * ```
 */
export const averagePooling2d = (
  poolSize: Pair = 2,
  options: Pooling2DOptions = {},
): Layer<NoParams, AveragePooling2DConfig> =>
  pooling(poolingConfig('averagePooling2d', poolSize, options), 'avgPool2d', avgPool2d);

/**
 * The mean over each image's pixels, per channel (Keras's `GlobalAveragePooling2D`):
 * samples `[height, width, channels]` become `[channels]`.
 *
 * @example
 * ```ts
 * layers.globalAveragePooling2d().init(key(0), [7, 7, 64]).outputShape; // [64]
 * ```
 */
export const globalAveragePooling2d = (): Layer<NoParams, GlobalAveragePooling2DConfig> => {
  const config: GlobalAveragePooling2DConfig = { kind: 'globalAveragePooling2d' };
  return {
    config,
    init: (_key, inputShape) => {
      checkLayer(
        inputShape.length === 3,
        config,
        () => `expects image samples [height, width, channels], got [${inputShape.join(',')}]`,
      );
      return { params: {}, outputShape: [inputShape[2]] };
    },
    apply: (_params, x) => {
      checkLayer(
        x.rank === 4,
        config,
        () => `expects images [batch,height,width,channels], got [${x.shape.join(',')}]`,
      );
      return globalAvgPool2d(x);
    },
  };
};
