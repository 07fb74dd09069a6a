import { layers, type AnyLayer } from '@axon/nn';
import type { Tensor, TensorTree } from '@axon/tensor';

/**
 * What an attribution explains: a differentiable function from a batch of inputs
 * `[n, ...sampleShape]` to class scores `[n, classes]`, each sample's row depending on
 * that sample alone (as every model is in inference mode). Any function built from
 * axon's ops qualifies; {@link modelScores} makes one from a model and its params.
 */
export type ScoreFunction = (x: Tensor) => Tensor;

/** Which of a model's outputs {@link modelScores} explains. */
export type ScoreKind = 'output' | 'logits';

/** Options of {@link modelScores}. */
export interface ModelScoresOptions<S extends TensorTree = TensorTree> {
  /**
   * `'output'` (unless stated) explains what the model outputs, such as the softmax
   * probability of a class; `'logits'` explains the scores before a final softmax or
   * sigmoid, which do not saturate (for a model without one, the two are the same).
   */
  readonly scores?: ScoreKind;
  /** A stateful model's state (batch-normalization statistics), used as in inference. */
  readonly state?: S;
}

/**
 * A model with its params (and state, for a stateful model) as a {@link ScoreFunction},
 * applied in inference mode: dropout off, batch statistics from the state.
 *
 * @example
 * ```ts
 * const f = modelScores(model, params);                          // softmax probabilities
 * const logits = modelScores(model, params, { scores: 'logits' }); // before the softmax
 * const { attributions } = integratedGradients(f, images);
 * ```
 */
export const modelScores = <P extends TensorTree, S extends TensorTree>(
  model: AnyLayer<P, S>,
  params: P,
  options: ModelScoresOptions<S> = {},
): ScoreFunction =>
  options.scores === 'logits'
    ? (x) => layers.applyLayerSplit(model, params, x, layers.inference, options.state).split.preActivation
    : (x) => layers.applyLayer(model, params, x, layers.inference, options.state).y;
