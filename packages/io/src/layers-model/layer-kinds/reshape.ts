import type { layers } from '@axon/nn';
import { sizeOf, type Shape } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { PositiveInteger } from '../../codec/numbers.js';
import { type LayerKind, noWeights, readWith } from './layer-kind.js';

type ReshapeConfig = layers.ReshapeConfig;

/** An extent to infer: Keras writes -1, TensorFlow.js `null`. */
const Inferred = new t.Type<-1, -1, unknown>(
  '-1',
  (u): u is -1 => u === -1,
  (u, c) => (u === -1 || u === null ? t.success(-1) : t.failure(u, c)),
  () => -1,
);

const ReshapeJson = t.type(
  {
    target_shape: t.readonlyArray(
      t.union([PositiveInteger, Inferred], 'a positive integer, or -1 or null to infer'),
      'a shape such as [28, 28]',
    ),
  },
  'a Reshape layer config ({ name, target_shape })',
);

/** The target shape with an inferred extent filled in, when it fits `inputShape`. */
const resolved = (config: ReshapeConfig, inputShape: Shape): E.Either<string, Shape> => {
  const size = sizeOf(inputShape);
  const known = sizeOf(config.targetShape.filter((d) => d !== -1));
  const inferred = config.targetShape.filter((d) => d === -1).length;
  const shape = config.targetShape.map((d) => (d === -1 ? size / known : d));
  return inferred <= 1 && shape.every((d) => Number.isInteger(d) && d > 0) && sizeOf(shape) === size
    ? E.right(shape)
    : E.left(
        `a target shape with as many values as [${inputShape.join(', ')}] (${size}) and at most one -1, not [${config.targetShape.join(', ')}]`,
      );
};

/**
 * `Reshape`: each sample to `target_shape`. Written with any -1 resolved, since
 * TensorFlow.js turns -1 into an unknown extent that a following Flatten or Dense
 * refuses.
 */
export const reshapeKind: LayerKind<ReshapeConfig> = {
  kind: 'reshape',
  classNames: ['Reshape'],
  read: (_className, config) =>
    readWith(ReshapeJson, config, (json) => E.right({ kind: 'reshape', targetShape: [...json.target_shape] })),
  write: (config, inputShape) => ({
    className: 'Reshape',
    config: { target_shape: E.getOrElse((): Shape => config.targetShape)(resolved(config, inputShape)) },
  }),
  outputShape: resolved,
  weights: noWeights,
  // 0 keeps the batch axis as it is.
  onnx: (config, inputShape, input, _weights, nodes) =>
    nodes.node('Reshape', [
      input,
      nodes.int64s('shape', [0, ...E.getOrElse((): Shape => config.targetShape)(resolved(config, inputShape))]),
    ]),
};
