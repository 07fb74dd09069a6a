import {
  elu,
  gelu,
  leakyRelu,
  relu,
  sigmoid,
  softmax,
  softplus,
  tanh,
  type FusedActivation,
  type Tensor,
} from '@axon/tensor';

/**
 * The activation functions layers accept by name. `leakyRelu` uses Keras 3's slope of
 * 0.2 and `elu` an alpha of 1; `softmax` normalizes over the last axis.
 */
export type ActivationName =
  'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'leakyRelu' | 'elu' | 'gelu' | 'softplus';

const functions: Readonly<Record<ActivationName, (x: Tensor) => Tensor>> = {
  linear: (x) => x,
  relu,
  sigmoid,
  tanh,
  softmax: (x) => softmax(x),
  leakyRelu: (x) => leakyRelu(x),
  elu: (x) => elu(x),
  gelu,
  softplus,
};

/**
 * Every activation name, in a fixed order (for validation and tests).
 *
 * @example
 * ```ts
 * activationNames.includes('gelu'); // true
 * ```
 */
export const activationNames = Object.keys(functions) as readonly ActivationName[];

/**
 * True when `name` is an activation this package knows.
 *
 * @example
 * ```ts
 * isActivationName('relu');  // true
 * isActivationName('swish'); // false
 * ```
 */
export const isActivationName = (name: string): name is ActivationName => Object.hasOwn(functions, name);

/**
 * Applies the named activation element-wise (softmax: over the last axis).
 *
 * @example
 * ```ts
 * activate('relu', tensor([-1, 2])).toArray(); // [0, 2]
 * ```
 */
export const activate = (name: ActivationName, x: Tensor): Tensor => functions[name](x);

const fusedNames: ReadonlySet<ActivationName> = new Set<FusedActivation>(['linear', 'relu', 'sigmoid', 'tanh']);

/**
 * True for the activations the fused `dense` kernel applies itself.
 *
 * @example
 * ```ts
 * isFusedActivation('tanh'); // true: dense applies it in its kernel
 * isFusedActivation('gelu'); // false: applied after a linear dense
 * ```
 */
export const isFusedActivation = (name: ActivationName): name is ActivationName & FusedActivation =>
  fusedNames.has(name);

/**
 * The final activations a loss can fold into itself and compute from the logits:
 * softmax for the categorical cross-entropies, sigmoid for the binary one.
 */
export type FoldableActivation = 'softmax' | 'sigmoid';

/**
 * `name` when a loss can fold it in (softmax, sigmoid), else undefined.
 *
 * @example
 * ```ts
 * foldableActivation('softmax'); // 'softmax'
 * foldableActivation('relu');    // undefined
 * ```
 */
export const foldableActivation = (name: ActivationName): FoldableActivation | undefined =>
  name === 'softmax' || name === 'sigmoid' ? name : undefined;
