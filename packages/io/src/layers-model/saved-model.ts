import type { layers } from '@axon/nn';
import type { Shape, TensorTree } from '@axon/tensor';
import type { UserMetadata } from './model-json.js';

/**
 * A sequential model as a model file holds it: the shape of one input sample, the
 * layers as `@axon/nn` configs (rebuild them with `layers.fromConfig`), each layer's
 * params in the tree its `apply` takes (`{ kernel, bias }` for a dense layer, `{}` for
 * one without weights, an array for a nested sequential), the state of stateful layers
 * (batch-norm statistics), and the metadata kept
 * beside them (`null` when the file has none, as TensorFlow.js writes by default).
 *
 * @example
 * const model = layers.fromConfig(saved.config);
 * const y = model.apply(saved.params, x); // x: [batch, ...saved.inputShape]
 */
export interface SavedModel {
  /** The shape of one sample, without the batch axis, e.g. [28, 28] or [784]. */
  readonly inputShape: Shape;
  readonly config: layers.SequentialConfig;
  /** One entry per layer of `config`, as `sequential`'s params are. */
  readonly params: readonly TensorTree[];
  /**
   * The state of stateful layers (batch-norm moving statistics), as a stateful
   * `sequential`'s state is: one entry per layer, `{}` for layers without state.
   * Absent when no layer has state.
   */
  readonly state?: readonly TensorTree[];
  readonly metadata: UserMetadata | null;
}
