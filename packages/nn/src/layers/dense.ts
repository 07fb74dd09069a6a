import { dense as denseOp, split, type Tensor } from '@axon/tensor';
import { activate, foldableActivation, isFusedActivation, type ActivationName } from '../activations/activations.js';
import { glorotUniform, zeros, type Initializer } from '../initializers/initializers.js';
import type { DenseConfig } from './config.js';
import { checkLayer, showBatchShape, type Layer, type SplitOutput } from './layer.js';

/** A dense layer's parameters in Keras layout: `kernel` `[inputs, units]`, `bias` `[units]`. */
export type DenseParams = { readonly kernel: Tensor } | { readonly kernel: Tensor; readonly bias: Tensor };

/** Options of {@link dense}; each has the Keras default. */
export interface DenseOptions {
  /** `linear` unless stated. */
  readonly activation?: ActivationName;
  /** True unless stated. */
  readonly useBias?: boolean;
  /** Glorot uniform unless stated. */
  readonly kernelInitializer?: Initializer;
  /** Zeros unless stated. */
  readonly biasInitializer?: Initializer;
}

/**
 * A fully connected layer over the last axis: `activation(x · kernel + bias)`. Linear,
 * relu, sigmoid and tanh run inside the fused `dense` kernel; other activations are
 * applied after it. A softmax or sigmoid is left to the loss when it can compute from
 * the logits (see {@link Layer.applySplit}).
 *
 * @example
 * ```ts
 * const layer = layers.dense(128, { activation: 'relu' });
 * const { params } = layer.init(key(0), [784]); // kernel [784,128], bias [128]
 * ```
 */
export const dense = (units: number, options: DenseOptions = {}): Layer<DenseParams, DenseConfig> => {
  const activation = options.activation ?? 'linear';
  const kernelInitializer = options.kernelInitializer ?? glorotUniform();
  const biasInitializer = options.biasInitializer ?? zeros();
  const config: DenseConfig = {
    kind: 'dense',
    units,
    activation,
    useBias: options.useBias ?? true,
    kernelInitializer: kernelInitializer.config,
    biasInitializer: biasInitializer.config,
  };
  checkLayer(Number.isInteger(units) && units > 0, config, () => `units must be a positive integer, got ${units}`);

  /** `applied(x · kernel + bias)`, the activation inside the fused kernel when it can be. */
  const forward = (params: DenseParams, x: Tensor, applied: ActivationName): Tensor => {
    const inputs = params.kernel.shape[0];
    checkLayer(
      x.rank >= 2 && x.shape[x.rank - 1] === inputs,
      config,
      () => `expects inputs ${showBatchShape([inputs])} (or more leading axes), got [${x.shape.join(',')}]`,
    );
    checkLayer(
      x.dtype === params.kernel.dtype,
      config,
      () =>
        `expects ${params.kernel.dtype} inputs like its params, got ${x.dtype} (cast the inputs, or init the params with that dtype)`,
    );
    const bias = 'bias' in params ? params.bias : undefined;
    return isFusedActivation(applied)
      ? denseOp(x, params.kernel, bias, applied)
      : activate(applied, denseOp(x, params.kernel, bias, 'linear'));
  };

  return {
    config,
    init: (key, inputShape, initOptions) => {
      checkLayer(
        inputShape.length >= 1,
        config,
        () => `needs samples with at least one axis, got [${inputShape.join(',')}]`,
      );
      const inputs = inputShape[inputShape.length - 1];
      const [kernelKey, biasKey] = split(key);
      const kernel = kernelInitializer.sample(kernelKey, [inputs, units], initOptions);
      const params: DenseParams = config.useBias
        ? { kernel, bias: biasInitializer.sample(biasKey, [units], initOptions) }
        : { kernel };
      return { params, outputShape: [...inputShape.slice(0, -1), units] };
    },
    apply: (params, x) => forward(params, x, activation),
    applySplit: (params, x): SplitOutput => {
      const folded = foldableActivation(activation);
      return folded === undefined
        ? { preActivation: forward(params, x, activation), activation: 'none' }
        : { preActivation: forward(params, x, 'linear'), activation: folded };
    },
  };
};
