import { foldIn, type PRNGKey, type Shape, type Tensor, type TensorTree } from '@axon/tensor';
import type { InitOptions } from '../initializers/initializers.js';
import type { SequentialConfig } from './config.js';
import { applySplit, checkLayer, inference, type ApplyContext, type Layer } from './layer.js';

/** Layers applied one after another; itself a layer whose params hold one entry per layer. */
export interface Sequential extends Layer<readonly TensorTree[], SequentialConfig> {
  readonly layers: readonly Layer[];
}

/** What {@link initLayers} gives: each layer's params and output sample shape. */
export interface LayersInitialized {
  readonly params: readonly TensorTree[];
  readonly outputShapes: readonly Shape[];
}

/**
 * Initializes layers in order, each from `foldIn(key, index)` and the previous layer's
 * output shape (so adding a layer at the end leaves the others' params unchanged).
 *
 * @example
 * ```ts
 * initLayers([layers.dense(4), layers.dense(2)], key(0), [3]).outputShapes; // [[4], [2]]
 * ```
 */
export const initLayers = (layers: readonly Layer[], key: PRNGKey, inputShape: Shape, options?: InitOptions): LayersInitialized => {
  const params: TensorTree[] = [];
  const outputShapes: Shape[] = [];
  layers.reduce((shape, layer, i) => {
    const initialized = layer.init(foldIn(key, i), shape, options);
    params.push(initialized.params);
    outputShapes.push(initialized.outputShape);
    return initialized.outputShape;
  }, inputShape);
  return { params, outputShapes };
};

/** Layer `i`'s context: its own key, folded from the model's, so layers draw independently. */
const contextFor = (ctx: ApplyContext, i: number): ApplyContext =>
  ctx.key === undefined ? ctx : { training: ctx.training, key: foldIn(ctx.key, i) };

/**
 * Composes layers into a model, which is itself a layer: `init` threads the sample shape
 * through the layers and `apply` the batch. Params are an array, one entry per layer
 * (`{}` for layers without any).
 *
 * @example
 * ```ts
 * const model = layers.sequential([
 *   layers.dense(128, { activation: 'relu' }),
 *   layers.dense(128, { activation: 'relu' }),
 *   layers.dense(10, { activation: 'softmax' }),
 * ]);
 * const { params } = model.init(key(0), [784]);
 * const probabilities = model.apply(params, images); // [batch, 10]
 * ```
 */
export const sequential = (layers: readonly Layer[]): Sequential => {
  const config: SequentialConfig = { kind: 'sequential', layers: layers.map((layer) => layer.config) };
  const run = (params: readonly TensorTree[], x: Tensor, ctx: ApplyContext, count: number): Tensor => {
    checkLayer(params.length === layers.length, config, () => `expects params for ${layers.length} layers, got ${params.length}`);
    let y = x;
    for (let i = 0; i < count; i++) y = layers[i].apply(params[i], y, contextFor(ctx, i));
    return y;
  };
  return {
    config,
    layers,
    init: (key, inputShape, options) => {
      const { params, outputShapes } = initLayers(layers, key, inputShape, options);
      return { params, outputShape: outputShapes.at(-1) ?? inputShape };
    },
    apply: (params, x, ctx = inference) => run(params, x, ctx, layers.length),
    applySplit: (params, x, ctx = inference) => {
      const last = layers.length - 1;
      if (last < 0) return { preActivation: x, activation: 'none' };
      return applySplit(layers[last], params[last], run(params, x, ctx, last), contextFor(ctx, last));
    },
  };
};
