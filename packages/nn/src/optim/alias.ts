import { chain, type GradientTransformation } from './base.js';
import type { LearningRate } from './schedules.js';
import {
  addDecayedWeights,
  scaleByAdagrad,
  scaleByAdam,
  scaleByLearningRate,
  scaleByRms,
  trace,
  type AdagradOptions,
  type AdamOptions,
} from './transform.js';

/** L2 regularization added to the gradients before the optimizer's own scaling. */
export interface WeightDecayOption {
  /** Adds `weightDecay · params` to the gradients (PyTorch's `weight_decay`). 0 unless stated. */
  readonly weightDecay?: number;
}

/** The L2 stage, present only when asked for. */
const l2 = (weightDecay = 0): GradientTransformation[] => (weightDecay > 0 ? [addDecayedWeights(weightDecay)] : []);

/** Options of {@link sgd}. */
export interface SgdOptions extends WeightDecayOption {
  /** 0 (plain gradient descent) unless stated. */
  readonly momentum?: number;
  readonly nesterov?: boolean;
}

/**
 * Stochastic gradient descent, with optional (Nesterov) momentum: `p -= lr · t` with
 * `t = g + μ·t`. The default rate, 0.01, is Keras's.
 *
 * @example
 * ```ts
 * const optimizer = sgd(0.01, { momentum: 0.9, nesterov: true });
 * ```
 */
export const sgd = (learningRate: LearningRate = 0.01, options: SgdOptions = {}): GradientTransformation => {
  const { momentum = 0, nesterov = false, weightDecay } = options;
  const stages = momentum > 0 ? [trace({ decay: momentum, nesterov })] : [];
  return chain(...l2(weightDecay), ...stages, scaleByLearningRate(learningRate));
};

/**
 * Adam as Keras computes it, the tutorial's optimizer: rate 0.001, β1 0.9, β2 0.999,
 * ε 1e-7 added to `√v` with the bias corrections folded into the step size:
 * `p -= lr·√(1-β2^t)/(1-β1^t) · m / (√v + ε)`. `epsilonPlacement: 'pytorch'` gives
 * PyTorch's and Optax's update instead, `p -= lr · m̂ / (√v̂ + ε)` with ε 1e-8 (see
 * {@link AdamEpsilonPlacement}). `weightDecay` adds L2 regularization as PyTorch's
 * `Adam` does; for decoupled weight decay use {@link adamw}.
 *
 * @example
 * ```ts
 * const optimizer = adam(1e-3);                                   // Keras
 * const likeTorch = adam(1e-3, { epsilonPlacement: 'pytorch' });  // torch.optim.Adam
 * ```
 */
export const adam = (
  learningRate: LearningRate = 1e-3,
  options: AdamOptions & WeightDecayOption = {},
): GradientTransformation => chain(...l2(options.weightDecay), scaleByAdam(options), scaleByLearningRate(learningRate));

/** Options of {@link adamw}. */
export interface AdamWOptions extends AdamOptions {
  /** The decoupled decay rate, multiplied by the learning rate. 0.004 unless stated, as Keras (PyTorch: 0.01). */
  readonly weightDecay?: number;
}

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter): `p -= lr · (adam(g) + wd·p)`.
 *
 * @example
 * ```ts
 * const optimizer = adamw(1e-3, { weightDecay: 0.01 });
 * ```
 */
export const adamw = (learningRate: LearningRate = 1e-3, options: AdamWOptions = {}): GradientTransformation =>
  chain(scaleByAdam(options), addDecayedWeights(options.weightDecay ?? 0.004), scaleByLearningRate(learningRate));

/** Options of {@link rmsprop}; the defaults are Keras's. */
export interface RmspropOptions extends WeightDecayOption {
  /** Decay of the mean square. 0.9 unless stated. */
  readonly rho?: number;
  /** 1e-7 unless stated. */
  readonly epsilon?: number;
  /** Momentum on the scaled steps. 0 unless stated. */
  readonly momentum?: number;
}

/**
 * RMSprop as Keras computes it: `v = ρ·v + (1-ρ)·g²`, `p -= lr · g / sqrt(v + ε)`, with
 * optional momentum on the steps. Rate 0.001 unless stated.
 *
 * @example
 * ```ts
 * const optimizer = rmsprop(1e-3, { rho: 0.9 });
 * ```
 */
export const rmsprop = (learningRate: LearningRate = 1e-3, options: RmspropOptions = {}): GradientTransformation => {
  const { rho, epsilon, momentum = 0, weightDecay } = options;
  const stages = momentum > 0 ? [trace({ decay: momentum })] : [];
  return chain(...l2(weightDecay), scaleByRms({ decay: rho, epsilon }), scaleByLearningRate(learningRate), ...stages);
};

/**
 * Adagrad as Keras computes it: `s = s + g²` from 0.1, `p -= lr · g / sqrt(s + ε)`. Rate
 * 0.001 unless stated.
 *
 * @example
 * ```ts
 * const optimizer = adagrad(0.01);
 * ```
 */
export const adagrad = (
  learningRate: LearningRate = 1e-3,
  options: AdagradOptions & WeightDecayOption = {},
): GradientTransformation =>
  chain(...l2(options.weightDecay), scaleByAdagrad(options), scaleByLearningRate(learningRate));

/** The optimizers {@link optimizerByName} builds; `momentum` is SGD with momentum 0.9. */
export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

/**
 * An optimizer by name with its default hyper-parameters and the given learning rate,
 * for command lines and config files. `weightDecay` is L2 regularization for all but
 * `adamw`, whose decoupled decay it sets (its default, 0.004, when left out).
 *
 * @example
 * ```ts
 * const optimizer = optimizerByName('adam', 1e-3);
 * const regularized = optimizerByName('sgd', 0.01, { weightDecay: 1e-4 });
 * ```
 */
export const optimizerByName = (
  name: OptimizerName,
  learningRate: LearningRate,
  options: WeightDecayOption = {},
): GradientTransformation => {
  switch (name) {
    case 'sgd':
      return sgd(learningRate, options);
    case 'momentum':
      return sgd(learningRate, { ...options, momentum: 0.9 });
    case 'adam':
      return adam(learningRate, options);
    case 'adamw':
      return adamw(learningRate, options);
    case 'rmsprop':
      return rmsprop(learningRate, options);
    case 'adagrad':
      return adagrad(learningRate, options);
  }
};
