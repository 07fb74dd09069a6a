import type { layers } from '@axon/nn';
import { sizeOf } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { type LayerKind, noWeights, readWith } from './layer-kind.js';

type FlattenConfig = layers.FlattenConfig;

/**
 * Only channels-last flattening is the plain row-major order that axon's weights
 * assume, so `channels_first` is refused rather than silently permuted.
 */
const FlattenJson = t.partial(
  { data_format: t.union([t.literal('channels_last'), t.null], '"channels_last"') },
  'a Flatten layer config ({ name })',
);

/**
 * `Flatten`: each sample to one axis, row-major. A sample of one axis is refused, as
 * TensorFlow.js refuses it, so axon never writes a file TensorFlow.js cannot load.
 */
export const flattenKind: LayerKind<FlattenConfig> = {
  kind: 'flatten',
  classNames: ['Flatten'],
  read: (_className, config) => readWith(FlattenJson, config, () => E.right({ kind: 'flatten' })),
  write: () => ({ className: 'Flatten', config: { data_format: 'channels_last' } }),
  outputShape: (_config, inputShape) =>
    inputShape.length < 2
      ? E.left('a Flatten input of at least 2 axes per sample (TensorFlow.js refuses fewer)')
      : E.right([sizeOf(inputShape)]),
  weights: noWeights,
  onnx: (_config, _inputShape, input, _weights, nodes) => nodes.node('Flatten', [input], { axis: { i: 1 } }),
};
