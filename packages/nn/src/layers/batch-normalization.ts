import { add, mean, mul, ones, reciprocal, sqrt, square, stopGradient, sub, zeros, type Tensor } from '@axon/tensor';
import type { BatchNormalizationConfig } from './config.js';
import { checkLayer, type StatefulLayer } from './layer.js';

/**
 * Batch normalization's trained params (Keras layout, one value per feature): the scale
 * `gamma` (when `scale`) and the offset `beta` (when `center`).
 */
export type BatchNormalizationParams =
  | { readonly gamma: Tensor; readonly beta: Tensor }
  | { readonly gamma: Tensor }
  | { readonly beta: Tensor }
  | Readonly<Record<string, never>>;

/** Batch normalization's state: the moving mean and variance of each feature, which inference normalizes with. */
export type BatchNormalizationState = { readonly movingMean: Tensor; readonly movingVariance: Tensor };

/** Options of {@link batchNormalization}; each has the Keras default. */
export interface BatchNormalizationOptions {
  /** 0.99 unless stated. */
  readonly momentum?: number;
  /** 1e-3 unless stated. */
  readonly epsilon?: number;
  /** Learn an offset `beta` (initially 0); true unless stated. */
  readonly center?: boolean;
  /** Learn a scale `gamma` (initially 1); true unless stated. */
  readonly scale?: boolean;
}

/** `x · gamma + beta`, each present only when the layer has it. */
const scaleAndShift = (x: Tensor, params: BatchNormalizationParams): Tensor => {
  const scaled = 'gamma' in params ? mul(x, params.gamma) : x;
  return 'beta' in params ? add(scaled, params.beta) : scaled;
};

/**
 * Batch normalization over the last axis (Keras's `BatchNormalization` with
 * `axis=-1`: the channels of NHWC images, the features of flat samples). While
 * training it normalizes with the batch's own mean and (biased) variance over every
 * other axis, `(x − mean) / sqrt(variance + epsilon) · gamma + beta`, and returns the
 * moving statistics updated as `moving · momentum + batch · (1 − momentum)`; in
 * inference it normalizes with the moving statistics and returns them unchanged. The
 * statistics are state, never trained by gradients (Keras's non-trainable weights).
 *
 * @example
 * ```ts
 * const bn = layers.batchNormalization();
 * const { params, state } = bn.init(key(0), [26, 26, 32]); // gamma, beta; movingMean, movingVariance: [32]
 * const { y, state: next } = bn.apply(params, x, { training: true }, state);
 * ```
 */
export const batchNormalization = (
  options: BatchNormalizationOptions = {},
): StatefulLayer<BatchNormalizationParams, BatchNormalizationState, BatchNormalizationConfig> => {
  const config: BatchNormalizationConfig = {
    kind: 'batchNormalization',
    momentum: options.momentum ?? 0.99,
    epsilon: options.epsilon ?? 1e-3,
    center: options.center ?? true,
    scale: options.scale ?? true,
  };
  const { momentum, epsilon } = config;
  checkLayer(momentum >= 0 && momentum <= 1, config, () => `momentum must be in [0, 1], got ${momentum}`);
  checkLayer(epsilon > 0, config, () => `epsilon must be positive, got ${epsilon}`);

  /** The moving statistic moved towards the batch's. */
  const moved = (moving: Tensor, batch: Tensor): Tensor =>
    add(mul(moving, momentum), mul(stopGradient(batch), 1 - momentum));

  return {
    config,
    stateful: true,
    init: (_key, inputShape, initOptions) => {
      checkLayer(inputShape.length >= 1, config, () => 'needs samples with at least one axis, got scalars');
      const features = [inputShape[inputShape.length - 1]];
      const gamma = ones(features, initOptions);
      const beta = zeros(features, initOptions);
      const params: BatchNormalizationParams = config.scale
        ? config.center
          ? { gamma, beta }
          : { gamma }
        : config.center
          ? { beta }
          : {};
      return {
        params,
        state: { movingMean: zeros(features, initOptions), movingVariance: ones(features, initOptions) },
        outputShape: inputShape,
      };
    },
    apply: (params, x, ctx, state) => {
      const features = state.movingMean.shape[0];
      checkLayer(
        x.rank >= 2 && x.shape[x.rank - 1] === features,
        config,
        () => `expects inputs [batch,...,${features}], got [${x.shape.join(',')}]`,
      );
      checkLayer(
        x.dtype === state.movingMean.dtype,
        config,
        () =>
          `expects ${state.movingMean.dtype} inputs like its params, got ${x.dtype} (cast the inputs, or init the params with that dtype)`,
      );
      if (!ctx.training) {
        // Folded into one scale and one offset per feature, so the batch is touched twice.
        const inverse = reciprocal(sqrt(add(state.movingVariance, epsilon)));
        const scale = 'gamma' in params ? mul(params.gamma, inverse) : inverse;
        const shift = sub('beta' in params ? params.beta : 0, mul(state.movingMean, scale));
        return { y: add(mul(x, scale), shift), state };
      }
      const axes = [...Array(x.rank - 1).keys()];
      const batchMean = mean(x, axes);
      const centred = sub(x, batchMean);
      const batchVariance = mean(square(centred), axes);
      const y = scaleAndShift(mul(centred, reciprocal(sqrt(add(batchVariance, epsilon)))), params);
      return {
        y,
        state: {
          movingMean: moved(state.movingMean, batchMean),
          movingVariance: moved(state.movingVariance, batchVariance),
        },
      };
    },
  };
};
