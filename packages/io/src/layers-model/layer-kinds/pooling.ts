import type { layers } from '@axon/nn';
import { pool2dGeometry, type Shape } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { type KerasLayer, type LayerKind, noWeights, readWith } from './layer-kind.js';
import { DataFormatJson, PaddingJson, PairJson, onnxWindow, pairOf, windowOutput } from './window.js';

type MaxPooling2DConfig = layers.MaxPooling2DConfig;
type AveragePooling2DConfig = layers.AveragePooling2DConfig;
type GlobalAveragePooling2DConfig = layers.GlobalAveragePooling2DConfig;

const PoolingJson = t.partial(
  // Keras writes `strides: null` for "the pool size".
  { pool_size: PairJson, strides: t.union([PairJson, t.null]), padding: PaddingJson, data_format: DataFormatJson },
  'a pooling layer config ({ name, pool_size, strides, padding })',
);

/**
 * The entry of a pooling kind: `className` written, `classNames` read, the op named
 * `op` for its geometry, ONNX's `onnxOp` (whose AveragePool, like TensorFlow's, leaves
 * padding out of the count by default).
 */
const poolingKind = <C extends MaxPooling2DConfig | AveragePooling2DConfig>(
  kind: C['kind'],
  className: string,
  aliases: readonly string[],
  op: string,
  onnxOp: string,
): LayerKind<C> => ({
  kind,
  classNames: [className, ...aliases],
  read: (_className, config) =>
    readWith(PoolingJson, config, (json) => {
      const poolSize = pairOf(json.pool_size ?? 2);
      // The fields of either pooling config; `kind` says which, as the caller's C does.
      return E.right({
        kind,
        poolSize,
        strides: json.strides === undefined || json.strides === null ? poolSize : pairOf(json.strides),
        padding: json.padding ?? 'valid',
      } as C);
    }),
  write: (config): KerasLayer => ({
    className,
    config: {
      pool_size: [...config.poolSize],
      strides: [...config.strides],
      padding: config.padding,
      data_format: 'channels_last',
    },
  }),
  outputShape: (config, inputShape) =>
    windowOutput(
      inputShape,
      (xShape) => pool2dGeometry(op, xShape, config.poolSize, { strides: config.strides, padding: config.padding }),
      config.poolSize.join('x'),
    ),
  weights: noWeights,
  onnx: (config, inputShape, input, _weights, nodes) =>
    onnxWindow(
      nodes,
      input,
      onnxOp,
      [],
      pool2dGeometry(op, [1, ...inputShape], config.poolSize, { strides: config.strides, padding: config.padding }),
    ),
});

/** `MaxPooling2D` over channels-last images: each window's maximum. Keras's defaults: pool 2, strides the pool size, `valid`. */
export const maxPooling2dKind: LayerKind<MaxPooling2DConfig> = poolingKind(
  'maxPooling2d',
  'MaxPooling2D',
  ['MaxPool2D'],
  'maxPool2d',
  'MaxPool',
);

/** `AveragePooling2D` over channels-last images: each window's mean over its in-bounds elements. */
export const averagePooling2dKind: LayerKind<AveragePooling2DConfig> = poolingKind(
  'averagePooling2d',
  'AveragePooling2D',
  ['AvgPool2D'],
  'avgPool2d',
  'AveragePool',
);

const GlobalPoolingJson = t.partial(
  { data_format: DataFormatJson, keepdims: t.literal(false, 'false (axon gives [batch, channels])') },
  'a GlobalAveragePooling2D layer config ({ name })',
);

/** `GlobalAveragePooling2D`: the mean over each image's pixels, per channel, `[h, w, c]` to `[c]`. */
export const globalAveragePooling2dKind: LayerKind<GlobalAveragePooling2DConfig> = {
  kind: 'globalAveragePooling2d',
  classNames: ['GlobalAveragePooling2D', 'GlobalAvgPool2D'],
  read: (_className, config) => readWith(GlobalPoolingJson, config, () => E.right({ kind: 'globalAveragePooling2d' })),
  write: () => ({ className: 'GlobalAveragePooling2D', config: { data_format: 'channels_last' } }),
  outputShape: (_config, inputShape): E.Either<string, Shape> =>
    inputShape.length === 3 ? E.right([inputShape[2]]) : E.left('image samples [height, width, channels]'),
  weights: noWeights,
  onnx: (_config, _inputShape, input, _weights, nodes) =>
    nodes.node('ReduceMean', [input], { axes: { ints: [1, 2] }, keepdims: { i: 0 } }),
};
