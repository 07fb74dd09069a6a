import { foldIn, split, type PRNGKey, type Shape, type TensorTree } from '@axon/tensor';
import type { InitOptions } from '../initializers/initializers.js';
import { initLayer, type AnyLayer } from '../layers/layer.js';
import type { Loss } from '../losses/losses.js';
import type { GradientTransformation } from '../optim/base.js';

/** What training needs besides data: the model, the loss it minimizes and the optimizer (Keras's `compile`). */
export interface TrainingPlan<P extends TensorTree = TensorTree, S = unknown> {
  readonly model: AnyLayer<P>;
  readonly loss: Loss;
  readonly optimizer: GradientTransformation<S>;
}

/**
 * Everything a training run carries from step to step, as a plain value: params,
 * optimizer state, the model's own state (batch-norm statistics), the number of updates
 * made, and the PRNG key that dropout masks and epoch shuffles are derived from.
 */
export interface TrainState<P extends TensorTree = TensorTree, S = unknown> {
  readonly params: P;
  readonly optState: S;
  /**
   * The state of the model's stateful layers (see `StatefulLayer`), updated by each
   * training step and never by gradients; `{}` when the model has none.
   */
  readonly modelState: TensorTree;
  /** Updates made so far. */
  readonly step: number;
  readonly key: PRNGKey;
}

/**
 * A fresh training state: params and model state from the model's `init` for samples
 * of `inputShape`, the optimizer's initial state, step 0. `key` is split into an init key and the
 * training key.
 *
 * @example
 * ```ts
 * const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
 * const state = initTrainState(plan, key(42), [784]);
 * ```
 */
export const initTrainState = <P extends TensorTree, S>(
  plan: Pick<TrainingPlan<P, S>, 'model' | 'optimizer'>,
  key: PRNGKey,
  inputShape: Shape,
  options?: InitOptions,
): TrainState<P, S> => {
  const [initKey, trainKey] = split(key);
  const { params, state } = initLayer(plan.model, initKey, inputShape, options);
  return { params, optState: plan.optimizer.init(params), modelState: state, step: 0, key: trainKey };
};

/**
 * The key for the randomness (dropout) of the step a state is about to take.
 *
 * @example
 * ```ts
 * applyLayer(model, state.params, x, { training: true, key: stepKey(state) }, state.modelState);
 * ```
 */
export const stepKey = (state: TrainState): PRNGKey => foldIn(foldIn(state.key, 0), state.step);

/**
 * The key for the per-batch input transform (data augmentation) of the step a state is
 * about to take: a run that resumes from a saved state draws the same transforms.
 *
 * @example
 * ```ts
 * const x = transformInputs(inputsKey(state), batch.x);
 * ```
 */
export const inputsKey = (state: TrainState): PRNGKey => foldIn(foldIn(state.key, 2), state.step);

/**
 * The key that orders the samples of an epoch.
 *
 * @example
 * ```ts
 * const order = permutationValues(shuffleKey(state, epoch), n);
 * ```
 */
export const shuffleKey = (state: TrainState, epoch: number): PRNGKey => foldIn(foldIn(state.key, 1), epoch);
