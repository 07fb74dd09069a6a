import { foldIn, type PRNGKey, type Shape, type Tensor, type TensorTree } from '@axon/tensor';
import type { InitOptions } from '../initializers/initializers.js';
import type { MaxPooling2DConfig, SequentialConfig } from './config.js';
import { isConv2DLayer, type Conv2DLayer, type Conv2DParams } from './conv2d.js';
import {
  applyLayer,
  applyLayerSplit,
  applySplit,
  checkLayer,
  inference,
  initLayer,
  isStateful,
  type AnyLayer,
  type ApplyContext,
  type Applied,
  type Layer,
  type SplitApplied,
  type StatefulLayer,
} from './layer.js';

/** Layers applied one after another, none with state; itself a layer whose params hold one entry per layer. */
export interface Sequential extends Layer<readonly TensorTree[], SequentialConfig> {
  readonly layers: readonly Layer[];
}

/**
 * Layers applied one after another, some with state (batch normalization); itself a
 * stateful layer whose params and state each hold one entry per layer (`{}` for layers
 * without any).
 */
export interface StatefulSequential extends StatefulLayer<
  readonly TensorTree[],
  readonly TensorTree[],
  SequentialConfig
> {
  readonly layers: readonly AnyLayer[];
}

/** True when some element of the tuple `L` is a {@link StatefulLayer} by its type. */
type HasStatefulLayer<L extends readonly AnyLayer[]> = L extends readonly [
  infer Head,
  ...infer Rest extends readonly AnyLayer[],
]
  ? Head extends StatefulLayer
    ? true
    : HasStatefulLayer<Rest>
  : false;

/**
 * The model `sequential(layers)` builds: a {@link Sequential} when every layer is
 * stateless by its type, a {@link StatefulSequential} when one is stateful by its type,
 * and either (check with `isStateful`) when the types cannot tell, as for layers built
 * from configs.
 */
export type SequentialOf<L extends readonly AnyLayer[]> = L extends readonly Layer[]
  ? Sequential
  : HasStatefulLayer<L> extends true
    ? StatefulSequential
    : Sequential | StatefulSequential;

/** What {@link initLayers} gives: each layer's params, state and output sample shape. */
export interface LayersInitialized {
  readonly params: readonly TensorTree[];
  /** `{}` for layers without state. */
  readonly states: readonly TensorTree[];
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
export const initLayers = (
  layers: readonly AnyLayer[],
  key: PRNGKey,
  inputShape: Shape,
  options?: InitOptions,
): LayersInitialized => {
  const params: TensorTree[] = [];
  const states: TensorTree[] = [];
  const outputShapes: Shape[] = [];
  layers.reduce((shape, layer, i) => {
    const initialized = initLayer(layer, foldIn(key, i), shape, options);
    params.push(initialized.params);
    states.push(initialized.state);
    outputShapes.push(initialized.outputShape);
    return initialized.outputShape;
  }, inputShape);
  return { params, states, outputShapes };
};

/** A convolution layer and the max pooling that follows it, which run as one step. */
interface MaxPooledConvolution {
  readonly conv: Conv2DLayer;
  readonly pool: MaxPooling2DConfig;
}

/**
 * Layers `i` and `i + 1` of the first `count` when they are a convolution and a max
 * pooling of its output, which then run as one step (`Conv2DLayer.applyMaxPooled`: the
 * same bits, and on the wasm backend the convolution's output stays in the caches).
 */
const maxPooledConvolution = (
  layers: readonly AnyLayer[],
  i: number,
  count: number,
): MaxPooledConvolution | undefined => {
  const [layer, next] = [layers[i], layers[i + 1]];
  return i + 1 < count && isConv2DLayer(layer) && next.config.kind === 'maxPooling2d'
    ? { conv: layer, pool: next.config }
    : undefined;
};

/** Layer `i`'s context: its own key, folded from the model's, so layers draw independently. */
const contextFor = (ctx: ApplyContext, i: number): ApplyContext =>
  ctx.key === undefined ? ctx : { training: ctx.training, key: foldIn(ctx.key, i) };

const statelessSequential = (layers: readonly Layer[], config: SequentialConfig): Sequential => {
  const run = (params: readonly TensorTree[], x: Tensor, ctx: ApplyContext, count: number): Tensor => {
    checkLayer(
      params.length === layers.length,
      config,
      () => `expects params for ${layers.length} layers, got ${params.length}`,
    );
    let y = x;
    for (let i = 0; i < count; i++) {
      const pooled = maxPooledConvolution(layers, i, count);
      if (pooled === undefined) y = layers[i].apply(params[i], y, contextFor(ctx, i));
      else y = pooled.conv.applyMaxPooled(params[i++] as Conv2DParams, y, pooled.pool);
    }
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

const statefulSequential = (layers: readonly AnyLayer[], config: SequentialConfig): StatefulSequential => {
  /** The first `count` layers, threading each one's state; `next` receives the new states. */
  const run = (
    params: readonly TensorTree[],
    x: Tensor,
    ctx: ApplyContext,
    states: readonly TensorTree[],
    next: TensorTree[],
    count: number,
  ): Tensor => {
    checkLayer(
      params.length === layers.length,
      config,
      () => `expects params for ${layers.length} layers, got ${params.length}`,
    );
    checkLayer(
      states.length === layers.length,
      config,
      () => `expects states for ${layers.length} layers, got ${states.length}`,
    );
    let y = x;
    for (let i = 0; i < count; i++) {
      const pooled = maxPooledConvolution(layers, i, count);
      if (pooled !== undefined) {
        // Neither layer has state: theirs stay as given.
        y = pooled.conv.applyMaxPooled(params[i++] as Conv2DParams, y, pooled.pool);
        continue;
      }
      const out = applyLayer(layers[i], params[i], y, contextFor(ctx, i), states[i]);
      y = out.y;
      next[i] = out.state;
    }
    return y;
  };
  /** The given states themselves when no layer changed its own (inference), so the state comes back unchanged. */
  const settle = (states: readonly TensorTree[], next: readonly TensorTree[]): readonly TensorTree[] =>
    next.every((s, i) => s === states[i]) ? states : next;
  return {
    config,
    layers,
    stateful: true,
    init: (key, inputShape, options) => {
      const { params, states, outputShapes } = initLayers(layers, key, inputShape, options);
      return { params, state: states, outputShape: outputShapes.at(-1) ?? inputShape };
    },
    apply: (params, x, ctx, states): Applied<readonly TensorTree[]> => {
      const next = [...states];
      const y = run(params, x, ctx, states, next, layers.length);
      return { y, state: settle(states, next) };
    },
    applySplit: (params, x, ctx, states): SplitApplied<readonly TensorTree[]> => {
      const next = [...states];
      const last = layers.length - 1;
      const h = run(params, x, ctx, states, next, last);
      const { split, state } = applyLayerSplit(layers[last], params[last], h, contextFor(ctx, last), states[last]);
      next[last] = state;
      return { split, state: settle(states, next) };
    },
  };
};

/**
 * Composes layers into a model, which is itself a layer: `init` threads the sample shape
 * through the layers and `apply` the batch. Params are an array, one entry per layer
 * (`{}` for layers without any). When a layer has state (batch normalization), the
 * model is a {@link StatefulSequential}: its state is an array too, one entry per layer,
 * threaded through `apply`.
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
export function sequential<const L extends readonly AnyLayer[]>(layers: L): SequentialOf<L> {
  const config: SequentialConfig = { kind: 'sequential', layers: layers.map((layer) => layer.config) };
  const model = layers.some(isStateful)
    ? statefulSequential(layers, config)
    : statelessSequential(layers as readonly Layer[], config);
  return model as SequentialOf<L>;
}
