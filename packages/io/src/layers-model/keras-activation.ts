import type * as t from 'io-ts';
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
