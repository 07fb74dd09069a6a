import type { ActivationName } from '@axon/nn';
import * as t from 'io-ts';
import { oneOf } from '../codec/one-of.js';

/**
 * Activation functions as Keras and TensorFlow.js both spell them in a layer's
 * `activation` field (tfjs-layers' `ActivationIdentifier` less the names the two
 * spell differently, such as `hardSigmoid`/`hard_sigmoid`). Leaky ReLU is a layer of
 * its own in Keras, not an activation name, so it is not here.
 */
export const KerasActivation = oneOf([
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'gelu',
  'sigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'swish',
  'mish',
]);
/** An activation name in Keras spelling. */
export type KerasActivation = t.TypeOf<typeof KerasActivation>;

/**
 * Each axon activation's Keras name, or `null` for leaky ReLU, which TensorFlow.js
 * knows only as a layer (`LeakyReLU`), not as an activation name.
 */
const kerasNameOf: Readonly<Record<ActivationName, KerasActivation | null>> = {
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  leakyRelu: null,
  elu: 'elu',
  gelu: 'gelu',
  softplus: 'softplus',
};

/**
 * The Keras name of an axon activation, or `null` when Keras has none (leaky ReLU).
 *
 * @example
 * kerasActivationOf('relu');      // 'relu'
 * kerasActivationOf('leakyRelu'); // null
 */
export const kerasActivationOf = (name: ActivationName): KerasActivation | null => kerasNameOf[name];

const axonNames = (Object.keys(kerasNameOf) as ActivationName[]).filter((name) => kerasNameOf[name] !== null);

/**
 * Keras activation names axon implements, read as axon's: `null` (Keras's "no
 * activation") is `linear`. Names Keras has and axon does not (`selu`, `swish`, …) are
 * refused with the list of those it reads.
 */
export const ReadableActivation = new t.Type<ActivationName, KerasActivation, unknown>(
  `one of ${axonNames.map((name) => kerasNameOf[name]).join(', ')} (the Keras activations axon implements)`,
  (u): u is ActivationName => typeof u === 'string' && axonNames.includes(u as ActivationName),
  (u, c) => {
    if (u === null || u === undefined) return t.success('linear');
    const name = axonNames.find((axon) => kerasNameOf[axon] === u);
    return name === undefined ? t.failure(u, c) : t.success(name);
  },
  (name) => kerasNameOf[name] ?? 'linear',
);
