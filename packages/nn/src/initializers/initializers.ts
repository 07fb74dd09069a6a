import {
  full,
  truncatedNormal,
  uniform,
  type Backend,
  type FloatDType,
  type PRNGKey,
  type Shape,
  type Tensor,
} from '@axon/tensor';

/** Where and in what precision an initializer builds its tensor. */
export interface InitOptions {
  /** `float32` (the training dtype) unless stated; gradient checks use `float64`. */
  readonly dtype?: FloatDType;
  /** The backend the tensor lives on; the plain TypeScript backend unless stated. */
  readonly backend?: Backend;
}

/** How an initializer was built, as plain data that a model file can record. */
export type InitializerConfig =
  | { readonly kind: 'glorotUniform' }
  | { readonly kind: 'glorotNormal' }
  | { readonly kind: 'heUniform' }
  | { readonly kind: 'heNormal' }
  | { readonly kind: 'lecunNormal' }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  | { readonly kind: 'constant'; readonly value: number };

/**
 * Draws a parameter tensor of a given shape from a PRNG key. Deterministic: the same
 * key, shape and dtype always give the same values.
 */
export interface Initializer {
  readonly config: InitializerConfig;
  sample(key: PRNGKey, shape: Shape, options?: InitOptions): Tensor;
}

/**
 * Fan-in and fan-out as Keras computes them: a matrix `[in, out]` has fans `in` and
 * `out`; a vector has both equal to its length; higher ranks multiply in the receptive
 * field (every axis but the last two).
 *
 * @example
 * ```ts
 * fans([784, 128]); // { fanIn: 784, fanOut: 128 }
 * ```
 */
export const fans = (shape: Shape): { readonly fanIn: number; readonly fanOut: number } => {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
};

// The standard deviation of a unit normal truncated to [-2, 2]; Keras divides by it so
// truncated draws keep the intended variance.
const TRUNCATED_STDDEV = 0.8796256610342398;

/** Keras's `VarianceScaling`: variance `scale / fan`, from a uniform or truncated normal. */
const varianceScaling = (
  config: InitializerConfig,
  scale: number,
  mode: 'fanIn' | 'fanAvg',
  distribution: 'uniform' | 'truncatedNormal',
): Initializer => ({
  config,
  sample: (key, shape, options = {}) => {
    const { fanIn, fanOut } = fans(shape);
    const variance = scale / Math.max(1, mode === 'fanIn' ? fanIn : (fanIn + fanOut) / 2);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return uniform(key, shape, { ...options, minval: -limit, maxval: limit });
    }
    return truncatedNormal(key, shape, { ...options, stddev: Math.sqrt(variance) / TRUNCATED_STDDEV });
  },
});

const filled = (config: InitializerConfig, value: number): Initializer => ({
  config,
  sample: (_key, shape, options = {}) => full(shape, value, options),
});

/**
 * Glorot (Xavier) uniform: `U(-l, l)` with `l = sqrt(6 / (fanIn + fanOut))`. The Keras
 * default for dense kernels.
 *
 * @example
 * ```ts
 * initializers.glorotUniform().sample(key(0), [784, 128]);
 * ```
 */
export const glorotUniform = (): Initializer => varianceScaling({ kind: 'glorotUniform' }, 1, 'fanAvg', 'uniform');

/**
 * Glorot normal: truncated normal with variance `2 / (fanIn + fanOut)`.
 *
 * @example
 * ```ts
 * layers.dense(64, { kernelInitializer: initializers.glorotNormal() });
 * ```
 */
export const glorotNormal = (): Initializer =>
  varianceScaling({ kind: 'glorotNormal' }, 1, 'fanAvg', 'truncatedNormal');

/**
 * He uniform: `U(-l, l)` with `l = sqrt(6 / fanIn)`, for relu layers.
 *
 * @example
 * ```ts
 * layers.dense(64, { activation: 'relu', kernelInitializer: initializers.heUniform() });
 * ```
 */
export const heUniform = (): Initializer => varianceScaling({ kind: 'heUniform' }, 2, 'fanIn', 'uniform');

/**
 * He normal: truncated normal with variance `2 / fanIn`, for relu layers.
 *
 * @example
 * ```ts
 * layers.dense(64, { activation: 'relu', kernelInitializer: initializers.heNormal() });
 * ```
 */
export const heNormal = (): Initializer => varianceScaling({ kind: 'heNormal' }, 2, 'fanIn', 'truncatedNormal');

/**
 * LeCun normal: truncated normal with variance `1 / fanIn`, for selu-style layers.
 *
 * @example
 * ```ts
 * initializers.lecunNormal().sample(key(0), [100, 10], { dtype: 'float64' });
 * ```
 */
export const lecunNormal = (): Initializer => varianceScaling({ kind: 'lecunNormal' }, 1, 'fanIn', 'truncatedNormal');

/**
 * All zeros (the Keras default for biases).
 *
 * @example
 * ```ts
 * layers.dense(10, { biasInitializer: initializers.zeros() });
 * ```
 */
export const zeros = (): Initializer => filled({ kind: 'zeros' }, 0);

/**
 * All ones.
 *
 * @example
 * ```ts
 * initializers.ones().sample(key(0), [2]).toArray(); // [1, 1]
 * ```
 */
export const ones = (): Initializer => filled({ kind: 'ones' }, 1);

/**
 * Every element equal to `value`.
 *
 * @example
 * ```ts
 * initializers.constant(0.1).sample(key(0), [3]).toArray(); // [0.1, 0.1, 0.1] (as float32)
 * ```
 */
export const constant = (value: number): Initializer => filled({ kind: 'constant', value }, value);

/**
 * The initializer a config describes: the inverse of `initializer.config`.
 *
 * @example
 * ```ts
 * initializerFromConfig({ kind: 'heNormal' }).config; // { kind: 'heNormal' }
 * ```
 */
export const initializerFromConfig = (config: InitializerConfig): Initializer => {
  switch (config.kind) {
    case 'glorotUniform':
      return glorotUniform();
    case 'glorotNormal':
      return glorotNormal();
    case 'heUniform':
      return heUniform();
    case 'heNormal':
      return heNormal();
    case 'lecunNormal':
      return lecunNormal();
    case 'zeros':
      return zeros();
    case 'ones':
      return ones();
    case 'constant':
      return constant(config.value);
  }
};
