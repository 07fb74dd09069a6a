import type { ActivationName, layers } from '@axon/nn';
import type { Shape } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { DecodeProblem } from '../../codec/decode-problem.js';
import { ReadableActivation, kerasActivationOf } from '../keras-activation.js';
import type { JsonObject } from '../model-json.js';
import { activationNodes } from '../../onnx/onnx-nodes.js';
import { type LayerKind, noWeights, readWith, sameShape } from './layer-kind.js';

type ActivationConfig = layers.ActivationConfig;

/** axon's leaky ReLU slope (Keras 3's default; Keras 2 and TensorFlow.js default to 0.3). */
const leakySlope = 0.2;

const ActivationJson = t.type({ activation: ReadableActivation }, 'an Activation layer config ({ name, activation })');

/** A field that must hold one value (or be absent, when absent means that value). */
const only = (
  value: number | null,
  name: string,
): t.Type<number | null | undefined, number | null | undefined, unknown> =>
  new t.Type<number | null | undefined, number | null | undefined, unknown>(
    name,
    (u): u is number | null | undefined => u === undefined || u === value,
    (u, c) =>
      u === undefined || u === value || (typeof u === 'number' && value !== null && Math.abs(u - value) < 1e-7)
        ? t.success(u as number | null | undefined)
        : t.failure(u, c),
    (v) => v,
  );

/** Keras's other activation layers, each accepted with the settings that make it axon's activation. */
const layerCodecs: Readonly<Record<string, { codec: t.Decoder<unknown, unknown>; activation: ActivationName }>> = {
  ReLU: {
    codec: t.partial(
      {
        max_value: only(null, 'null (axon has no capped ReLU)'),
        negative_slope: only(0, '0 (axon has no sloped ReLU but leakyRelu, written LeakyReLU)'),
        threshold: only(0, '0 (axon has no shifted ReLU)'),
      },
      'a ReLU layer config ({ name })',
    ),
    activation: 'relu',
  },

  ELU: { codec: t.partial({ alpha: only(1, "1 (axon's elu has alpha 1)") }), activation: 'elu' },
};

/**
 * `Softmax` over the last axis: Keras writes -1, TensorFlow.js the axis's index
 * counting the batch axis (1 for samples of one axis).
 */
const readSoftmax = (config: JsonObject, inputShape: Shape): E.Either<DecodeProblem, ActivationConfig> => {
  const axis = Array.isArray(config.axis) && config.axis.length === 1 ? (config.axis[0] as unknown) : config.axis;
  return axis === undefined || axis === -1 || axis === inputShape.length
    ? E.right({ kind: 'activation', activation: 'softmax' })
    : E.left({
        path: ['axis'],
        expected: `-1 or ${inputShape.length} (axon takes softmax over the last axis)`,
        value: config.axis,
      });
};

/** `LeakyReLU`'s slope: `alpha` in TensorFlow.js and Keras 2, `negative_slope` in Keras 3; both default to 0.3. */
const readLeaky = (config: JsonObject): E.Either<DecodeProblem, ActivationConfig> => {
  const key = config.negative_slope !== undefined ? 'negative_slope' : 'alpha';
  const slope = config[key] ?? 0.3;
  return typeof slope === 'number' && Math.abs(slope - leakySlope) < 1e-7
    ? E.right({ kind: 'activation', activation: 'leakyRelu' })
    : E.left({
        path: [key],
        expected: `${leakySlope} (axon's leakyRelu slope; the Keras default is 0.3)`,
        value: slope,
      });
};

/**
 * Activation layers: `Activation` with a Keras activation name, and Keras's own
 * `LeakyReLU`, `ReLU`, `Softmax` and `ELU` layers where they compute one of axon's
 * activations. Written as `Activation`, or as `LeakyReLU` for leaky ReLU, which has no
 * activation name in TensorFlow.js.
 */
export const activationKind: LayerKind<ActivationConfig> = {
  kind: 'activation',
  classNames: ['Activation', 'LeakyReLU', 'ReLU', 'Softmax', 'ELU'],
  read: (className, config, inputShape) => {
    if (className === 'LeakyReLU') return readLeaky(config);
    if (className === 'Softmax') return readSoftmax(config, inputShape);
    if (className === 'Activation')
      return readWith(ActivationJson, config, (json) => E.right({ kind: 'activation', activation: json.activation }));
    const { codec, activation } = layerCodecs[className];
    return readWith(codec, config, () => E.right({ kind: 'activation', activation }));
  },
  write: (config) => {
    const keras = kerasActivationOf(config.activation);
    return keras === null
      ? { className: 'LeakyReLU', config: { alpha: leakySlope } }
      : { className: 'Activation', config: { activation: keras } };
  },
  outputShape: sameShape,
  weights: noWeights,
  onnx: (config, _inputShape, input, _weights, nodes) => activationNodes(config.activation, input, nodes),
};
