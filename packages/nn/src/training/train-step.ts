import { backendsIn, mean, stack, valueAndGradWithAux, withReleaseScope, type TensorTree } from '@axon/tensor';
import { applyLayerSplit, type ApplyContext } from '../layers/layer.js';
import { optimizerStep } from '../optim/step.js';
import type { Dataset } from './data.js';
import { stepKey, type TrainingPlan, type TrainState } from './state.js';

/** Metrics of one training step, measured on its batch before the update. */
export interface StepMetrics {
  /** Present when the loss classifies (the cross-entropies). */
  readonly accuracy?: number;
}

/** What a training step gives: the next state, and the batch's loss and metrics as numbers. */
export interface StepResult<P extends TensorTree, S> {
  readonly state: TrainState<P, S>;
  readonly loss: number;
  readonly metrics: StepMetrics;
}

/** A pure training step: from a state and a batch to the next state. */
export type TrainStep<P extends TensorTree, S> = (state: TrainState<P, S>, batch: Dataset) => StepResult<P, S>;

/**
 * Builds the training step of a plan: forward pass in training mode (dropout keyed by
 * the step, batch normalization on batch statistics), loss, gradients with respect to
 * the params only, optimizer update (one fused kernel where the backend has it, see
 * {@link optimizerStep}). The model state the forward pass returns becomes
 * the next state's `modelState`, outside the gradient. A model ending in softmax meets a
 * cross-entropy through its logits (one fused kernel); accuracy comes from the same
 * logits. The loss and accuracy come to the host in one read, after the update has
 * been issued. On backends that manage their own memory (wasm), everything the step makes
 * other than the next state is freed when it returns, so tensors it creates inside layers
 * or losses must not be kept beyond it.
 *
 * @example
 * ```ts
 * const step = makeTrainStep({ model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) });
 * const { state: next, loss, metrics } = step(state, { x: images, y: labels });
 * ```
 */
export const makeTrainStep = <P extends TensorTree, S>(plan: TrainingPlan<P, S>): TrainStep<P, S> => {
  const { model, loss, optimizer } = plan;
  const objective = valueAndGradWithAux((params: P, batch: Dataset, ctx: ApplyContext, modelState: TensorTree) => {
    const applied = applyLayerSplit(model, params, batch.x, ctx, modelState);
    return [mean(loss.perSampleFromSplit(batch.y, applied.split)), applied] as const;
  });
  const run = (state: TrainState<P, S>, batch: Dataset): StepResult<P, S> => {
    const { value, grads, aux } = objective(
      state.params,
      batch,
      { training: true, key: stepKey(state) },
      state.modelState,
    );
    const { params, state: optState } = optimizerStep(optimizer, grads, state.optState, state.params);
    const next = { params, optState, modelState: aux.state, step: state.step + 1, key: state.key };
    const accuracy = loss.matches && mean(loss.matches(batch.y, aux.split));
    const host = accuracy === undefined ? value.values : stack([value, accuracy]).values;
    return { state: next, loss: host[0], metrics: accuracy === undefined ? {} : { accuracy: host[1] } };
  };
  return (state, batch) =>
    withReleaseScope(
      backendsIn([state.params, batch]),
      () => run(state, batch),
      (result) => result.state,
    );
};
