import { activate, foldableActivation, isActivationName, type ActivationName } from '../activations/activations.js';
import type { ActivationConfig } from './config.js';
import { checkLayer, type Layer, type NoParams } from './layer.js';

/**
 * A layer that applies an activation element-wise (softmax: over the last axis). It has
 * no parameters. A final softmax or sigmoid is left to the loss when it can compute
 * from the logits.
 *
 * @example
 * ```ts
 * const model = layers.sequential([layers.dense(10), layers.activation('softmax')]);
 * ```
 */
export const activation = (name: ActivationName): Layer<NoParams, ActivationConfig> => {
  const config: ActivationConfig = { kind: 'activation', activation: name };
  checkLayer(isActivationName(name), config, () => `unknown activation '${name}'`);
  const folded = foldableActivation(name);
  return {
    config,
    init: (_key, inputShape) => ({ params: {}, outputShape: inputShape }),
    apply: (_params, x) => activate(name, x),
    applySplit: (_params, x) =>
      folded === undefined
        ? { preActivation: activate(name, x), activation: 'none' }
        : { preActivation: x, activation: folded },
  };
};

/**
 * `activation('relu')`: max(x, 0).
 *
 * @example
 * ```ts
 * layers.sequential([layers.dense(64), layers.relu()]);
 * ```
 */
export const relu = (): Layer<NoParams, ActivationConfig> => activation('relu');

/**
 * `activation('sigmoid')`: 1 / (1 + e⁻ˣ).
 *
 * @example
 * ```ts
 * layers.sequential([layers.dense(1), layers.sigmoid()]); // binary cross-entropy folds it in
 * ```
 */
export const sigmoid = (): Layer<NoParams, ActivationConfig> => activation('sigmoid');

/**
 * `activation('tanh')`.
 *
 * @example
 * ```ts
 * layers.sequential([layers.dense(64), layers.tanh()]);
 * ```
 */
export const tanh = (): Layer<NoParams, ActivationConfig> => activation('tanh');

/**
 * `activation('softmax')` over the last axis.
 *
 * @example
 * ```ts
 * layers.sequential([layers.dense(10), layers.softmax()]); // cross-entropy folds it in
 * ```
 */
export const softmax = (): Layer<NoParams, ActivationConfig> => activation('softmax');

/**
 * `activation('leakyRelu')`: x, or 0.2·x below 0 (Keras 3's slope).
 *
 * @example
 * ```ts
 * layers.sequential([layers.dense(64), layers.leakyRelu()]);
 * ```
 */
export const leakyRelu = (): Layer<NoParams, ActivationConfig> => activation('leakyRelu');

/**
 * `activation('elu')` with alpha 1.
 *
 * @example
 * ```ts
 * layers.sequential([layers.dense(64), layers.elu()]);
 * ```
 */
export const elu = (): Layer<NoParams, ActivationConfig> => activation('elu');

/**
 * `activation('gelu')`, the exact erf form.
 *
 * @example
 * ```ts
 * layers.sequential([layers.dense(64), layers.gelu()]);
 * ```
 */
export const gelu = (): Layer<NoParams, ActivationConfig> => activation('gelu');

/**
 * `activation('linear')`: the identity.
 *
 * @example
 * ```ts
 * layers.linear().apply({}, x) === x; // true
 * ```
 */
export const linear = (): Layer<NoParams, ActivationConfig> => activation('linear');
