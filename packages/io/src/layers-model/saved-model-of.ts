import type { LayerConfig } from '@axon/nn';
import type { Shape, TensorTree } from '@axon/tensor';
import type { UserMetadata } from './model-json.js';
import type { SavedModel } from './saved-model.js';

/**
 * The saved form of a model, its params and its state (a training state's
 * `modelState`; `{}` or absent for a model without stateful layers): a `sequential`
 * model as it is, any other layer as a sequential model of that one layer.
 *
 * @example
 * savedModelOf(model, trained.params, [28, 28], null, trained.modelState);
 * // { inputShape: [28, 28], config: model.config, params, metadata: null }
 */
export function savedModelOf(
  model: { readonly config: LayerConfig },
  params: TensorTree,
  inputShape: Shape,
  metadata: UserMetadata | null,
  state: TensorTree = {},
): SavedModel {
  const hasState = Array.isArray(state) || Object.keys(state).length > 0;
  return model.config.kind === 'sequential'
    ? {
        inputShape,
        config: model.config,
        params: params as readonly TensorTree[],
        ...(Array.isArray(state) ? { state: state as readonly TensorTree[] } : {}),
        metadata,
      }
    : {
        inputShape,
        config: { kind: 'sequential', layers: [model.config] },
        params: [params],
        ...(hasState ? { state: [state] } : {}),
        metadata,
      };
}
