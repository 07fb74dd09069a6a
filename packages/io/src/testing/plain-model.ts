import type { LayerConfig } from '@axon/nn';
import { Tensor, type Shape, type TensorTree } from '@axon/tensor';
import type { SavedModel } from '../layers-model/saved-model.js';

/**
 * A model with its tensors as plain `{ shape, values }` objects, for `toEqual`.
 *
 * @example
 * expect(plainModel(loaded)).toEqual(plainModel(saved));
 */
export const plainModel = (model: SavedModel): { readonly params: unknown[]; readonly [key: string]: unknown } => {
  const tree = (params: TensorTree): unknown =>
    Array.isArray(params)
      ? params.map(tree)
      : params instanceof Tensor
        ? { shape: params.shape, values: Array.from(params.values) }
        : Object.fromEntries(Object.entries(params).map(([key, value]) => [key, tree(value as TensorTree)]));
  return { ...model, params: model.params.map(tree) };
};

/**
 * The model as a file gives it back: a dense layer with leaky ReLU becomes a linear
 * dense layer and a leaky-ReLU activation layer, and an inferred reshape extent is
 * filled in.
 *
 * @example
 * expect(plainModel(decoded)).toEqual(plainModel(modelAsWritten(model)));
 */
export function modelAsWritten(model: SavedModel): SavedModel {
  const walk = (
    layers: readonly LayerConfig[],
    params: readonly TensorTree[],
    shape: Shape,
  ): { layers: LayerConfig[]; params: TensorTree[]; shape: Shape } => {
    const out: LayerConfig[] = [];
    const outParams: TensorTree[] = [];
    layers.forEach((layer, i) => {
      switch (layer.kind) {
        case 'dense':
          if (layer.activation === 'leakyRelu') {
            out.push({ ...layer, activation: 'linear' }, { kind: 'activation', activation: 'leakyRelu' });
            outParams.push(params[i], {});
          } else {
            out.push(layer);
            outParams.push(params[i]);
          }
          shape = [...shape.slice(0, -1), layer.units];
          return;
        case 'flatten':
          shape = [shape.reduce((a, b) => a * b, 1)];
          break;
        case 'reshape': {
          const size = shape.reduce((a, b) => a * b, 1);
          const known = layer.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
          shape = layer.targetShape.map((d) => (d === -1 ? size / known : d));
          out.push({ kind: 'reshape', targetShape: shape });
          outParams.push(params[i]);
          return;
        }
        case 'sequential': {
          const inner = walk(layer.layers, params[i] as readonly TensorTree[], shape);
          out.push({ kind: 'sequential', layers: inner.layers });
          outParams.push(inner.params);
          shape = inner.shape;
          return;
        }
        default:
      }
      out.push(layer);
      outParams.push(params[i]);
    });
    return { layers: out, params: outParams, shape };
  };
  const { layers, params } = walk(model.config.layers, model.params, model.inputShape);
  return { ...model, config: { kind: 'sequential', layers }, params };
}
