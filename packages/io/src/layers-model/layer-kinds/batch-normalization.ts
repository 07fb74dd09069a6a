import type { layers } from '@axon/nn';
import type { Shape } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { DecodeProblem } from '../../codec/decode-problem.js';
import { PositiveNumber } from '../../codec/numbers.js';
import { Flag } from '../../codec/primitives.js';
import type { JsonObject } from '../model-json.js';
import { type LayerKind, type WeightSpec, readWith } from './layer-kind.js';

type BatchNormalizationConfig = layers.BatchNormalizationConfig;

const Momentum = new t.Type<number, number, unknown>(
  'a number from 0 to 1',
  (u): u is number => typeof u === 'number' && u >= 0 && u <= 1,
  (u, c) => (typeof u === 'number' && u >= 0 && u <= 1 ? t.success(u) : t.failure(u, c)),
  (n) => n,
);

const BatchNormalizationJson = t.partial(
  { momentum: Momentum, epsilon: PositiveNumber, center: Flag, scale: Flag },
  'a BatchNormalization layer config ({ name, axis, momentum, epsilon, center, scale })',
);

/**
 * The normalized axis must be the last (channels, or features): Keras writes -1 (or
 * `[-1]`, or `[3]` for images, counting the batch axis), TensorFlow.js the index.
 */
const readAxis = (config: JsonObject, inputShape: Shape): E.Either<DecodeProblem, void> => {
  const axis = Array.isArray(config.axis) && config.axis.length === 1 ? (config.axis[0] as unknown) : config.axis;
  return axis === undefined || axis === -1 || axis === inputShape.length
    ? E.right(undefined)
    : E.left({
        path: ['axis'],
        expected: `-1 or ${inputShape.length} (axon normalizes over the last axis)`,
        value: config.axis,
      });
};

/**
 * `BatchNormalization` over the last axis. Its weights in Keras's order: `gamma` and
 * `beta` (trainable; each only when `scale` or `center` asks for it), then
 * `moving_mean` and `moving_variance` (non-trainable: axon's layer state). Keras's
 * defaults apply to absent fields: momentum 0.99, epsilon 1e-3, center and scale. The
 * initializers are written as Keras's defaults, which are axon's.
 */
export const batchNormalizationKind: LayerKind<BatchNormalizationConfig> = {
  kind: 'batchNormalization',
  classNames: ['BatchNormalization'],
  read: (_className, config, inputShape) =>
    E.chain(() =>
      readWith(BatchNormalizationJson, config, (json): E.Either<DecodeProblem, BatchNormalizationConfig> =>
        E.right({
          kind: 'batchNormalization',
          momentum: json.momentum ?? 0.99,
          epsilon: json.epsilon ?? 1e-3,
          center: json.center ?? true,
          scale: json.scale ?? true,
        }),
      ),
    )(readAxis(config, inputShape)),
  write: (config) => ({
    className: 'BatchNormalization',
    config: {
      axis: -1,
      momentum: config.momentum,
      epsilon: config.epsilon,
      center: config.center,
      scale: config.scale,
      beta_initializer: { class_name: 'Zeros', config: {} },
      gamma_initializer: { class_name: 'Ones', config: {} },
      moving_mean_initializer: { class_name: 'Zeros', config: {} },
      moving_variance_initializer: { class_name: 'Ones', config: {} },
    },
  }),
  outputShape: (_config, inputShape) =>
    inputShape.length === 0
      ? E.left('a sample of at least one axis for a BatchNormalization layer')
      : E.right(inputShape),
  // Inference only: one scale and one offset per feature, folded in double precision
  // from the moving statistics, broadcast over the last axis (ONNX's own
  // BatchNormalization wants channels first).
  onnx: (config, _inputShape, input, weights, nodes) => {
    const mean = weights.movingMean.values;
    const scale = Array.from(
      weights.movingVariance.values,
      (variance, c) => (config.scale ? weights.gamma.values[c] : 1) / Math.sqrt(variance + config.epsilon),
    );
    const shift = scale.map((s, c) => (config.center ? weights.beta.values[c] : 0) - mean[c] * s);
    const features = [scale.length];
    return nodes.node('Add', [
      nodes.node('Mul', [input, nodes.floats('scale', features, scale)]),
      nodes.floats('shift', features, shift),
    ]);
  },
  weights: (config, inputShape) => {
    const features = [inputShape[inputShape.length - 1]];
    const weight = (name: string, key: string, collection: WeightSpec['collection']): WeightSpec => ({
      name,
      key,
      collection,
      shape: features,
    });
    return [
      ...(config.scale ? [weight('gamma', 'gamma', 'params')] : []),
      ...(config.center ? [weight('beta', 'beta', 'params')] : []),
      weight('moving_mean', 'movingMean', 'state'),
      weight('moving_variance', 'movingVariance', 'state'),
    ];
  },
};
