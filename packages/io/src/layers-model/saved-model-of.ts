import type { LayerConfig } from '@axon/nn';
import type { Shape, TensorTree } from '@axon/tensor';
import type { UserMetadata } from './model-json.js';
import type { SavedModel } from './saved-model.js';

/**
 * The saved form of a model and its params: a `sequential` model as it is, any other
 * layer as a sequential model of that one layer.
 *
 * @example
 * savedModelOf(model, state.params, [28, 28], null); // { inputShape: [28, 28], config: model.config, params, metadata: null }
 */
export function savedModelOf(model: { readonly config: LayerConfig }, params: TensorTree, inputShape: Shape, metadata: UserMetadata | null): SavedModel {
  return model.config.kind === 'sequential'
    ? { inputShape, config: model.config, params: params as readonly TensorTree[], metadata }
    : { inputShape, config: { kind: 'sequential', layers: [model.config] }, params: [params], metadata };
}
