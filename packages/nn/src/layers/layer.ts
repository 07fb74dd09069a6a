import { treeLeaves, type PRNGKey, type Shape, type Tensor, type TensorTree } from '@axon/tensor';
import { activate, type FoldableActivation } from '../activations/activations.js';
import type { InitOptions } from '../initializers/initializers.js';
import { describeLayer, type LayerConfig } from './config.js';

/** What `apply` needs besides params and inputs. */
export interface ApplyContext {
  /** True while training: dropout drops. */
  readonly training: boolean;
  /** Randomness for layers that need it (dropout while training). */
  readonly key?: PRNGKey;
}

/**
 * The context for inference: nothing random, dropout is the identity.
 *
 * @example
 * ```ts
 * model.apply(params, x, inference); // the same as model.apply(params, x)
 * ```
 */
export const inference: ApplyContext = { training: false };

/** A layer's fresh parameters and the shape of one output sample. */
export interface Initialized<P extends TensorTree> {
  readonly params: P;
  /** Shape of one sample, without the batch axis. */
  readonly outputShape: Shape;
}

/** A stateful layer's fresh parameters, its initial state and the shape of one output sample. */
export interface InitializedWithState<P extends TensorTree, S extends TensorTree> extends Initialized<P> {
  readonly state: S;
}

/**
 * A layer's output split before a final softmax or sigmoid, so a cross-entropy can be
 * computed from the logits in one stable step: the output is
 * `activation(preActivation)`, or `preActivation` itself when `activation` is `'none'`.
 */
export interface SplitOutput {
  readonly preActivation: Tensor;
  readonly activation: FoldableActivation | 'none';
}

/**
 * A layer as a pair of pure functions. `init` draws parameters from a PRNG key for a
 * given sample shape (no batch axis); `apply` maps a batch `[batch, ...inputShape]`
 * to `[batch, ...outputShape]`. Parameters are plain readonly records of tensors.
 * Layers that also carry state between calls (batch normalization) are
 * {@link StatefulLayer}s instead.
 *
 * @example
 * ```ts
 * const layer = layers.dense(3, { activation: 'relu' });
 * const { params, outputShape } = layer.init(key(0), [4]); // outputShape [3]
 * const y = layer.apply(params, x);                          // x: [batch, 4]
 * ```
 */
export interface Layer<P extends TensorTree = TensorTree, C extends LayerConfig = LayerConfig> {
  /** The layer as plain data (see {@link LayerConfig}). */
  readonly config: C;
  /** Absent (or false): this layer has no state. */
  readonly stateful?: false;
  init(key: PRNGKey, inputShape: Shape, options?: InitOptions): Initialized<P>;
  apply(params: P, x: Tensor, ctx?: ApplyContext): Tensor;
  /**
   * `apply`, stopped before a final softmax or sigmoid. Layers that never end in one
   * leave it out; {@link applySplit} then uses `apply`.
   */
  applySplit?(params: P, x: Tensor, ctx?: ApplyContext): SplitOutput;
}

/** What a stateful layer's `apply` gives: its output and its next state. */
export interface Applied<S extends TensorTree = TensorTree> {
  readonly y: Tensor;
  readonly state: S;
}

/** What a stateful layer's `applySplit` gives: its split output and its next state. */
export interface SplitApplied<S extends TensorTree = TensorTree> {
  readonly split: SplitOutput;
  readonly state: S;
}

/**
 * A layer with state that changes as it runs but is not trained by gradients, such as
 * batch normalization's moving mean and variance (and any `sequential` model holding
 * one). As in Equinox and Haiku, the state is a plain value beside the params: `init`
 * returns the first one, `apply` takes the current one and returns the next, and
 * nothing is mutated. In inference (`ctx.training` false) `apply` returns the state it
 * was given, unchanged.
 *
 * The state is never differentiated: `valueAndGrad` sees only params, and training
 * threads the state through `TrainState.modelState`, apart from the optimizer.
 *
 * @example
 * ```ts
 * const model = layers.sequential([layers.conv2d(8, 3), layers.batchNormalization(), layers.relu()]);
 * const { params, state } = model.init(key(0), [28, 28, 1]);
 * const { y, state: next } = model.apply(params, x, { training: true }, state); // batch statistics
 * const { y: out } = model.apply(params, x, inference, next);                   // moving averages
 * ```
 */
export interface StatefulLayer<
  P extends TensorTree = TensorTree,
  S extends TensorTree = TensorTree,
  C extends LayerConfig = LayerConfig,
> {
  readonly config: C;
  readonly stateful: true;
  init(key: PRNGKey, inputShape: Shape, options?: InitOptions): InitializedWithState<P, S>;
  apply(params: P, x: Tensor, ctx: ApplyContext, state: S): Applied<S>;
  /** As {@link Layer.applySplit}; when left out, {@link applyLayerSplit} uses `apply`. */
  applySplit?(params: P, x: Tensor, ctx: ApplyContext, state: S): SplitApplied<S>;
}

/** Any layer, with state or without. Code that runs arbitrary models takes these and calls {@link applyLayer}. */
export type AnyLayer<P extends TensorTree = TensorTree, S extends TensorTree = TensorTree> =
  Layer<P> | StatefulLayer<P, S>;

/** The state of a layer that has none (and of a model none of whose layers has any). */
export type NoState = Readonly<Record<string, never>>;

/** The state of every stateless layer: a shared empty record. */
export const noState: NoState = Object.freeze({});

/**
 * Whether a layer carries state (see {@link StatefulLayer}).
 *
 * @example
 * ```ts
 * isStateful(layers.batchNormalization()); // true
 * isStateful(layers.dense(3));             // false
 * ```
 */
export const isStateful = <P extends TensorTree, S extends TensorTree>(
  layer: AnyLayer<P, S>,
): layer is StatefulLayer<P, S> => layer.stateful === true;

/** Parameters of a layer that has none. */
export type NoParams = Readonly<Record<string, never>>;

/**
 * A layer's output split before its final softmax or sigmoid, when it ends in one.
 *
 * @example
 * ```ts
 * const { preActivation, activation } = applySplit(model, params, x); // logits, 'softmax'
 * ```
 */
export const applySplit = <P extends TensorTree>(
  layer: Layer<P>,
  params: P,
  x: Tensor,
  ctx: ApplyContext = inference,
): SplitOutput =>
  layer.applySplit
    ? layer.applySplit(params, x, ctx)
    : { preActivation: layer.apply(params, x, ctx), activation: 'none' };

/**
 * Any layer's fresh params and state: a stateless layer's state is {@link noState}.
 *
 * @example
 * ```ts
 * const { params, state, outputShape } = initLayer(model, key(0), [28, 28, 1]);
 * ```
 */
export const initLayer = <P extends TensorTree, S extends TensorTree>(
  layer: AnyLayer<P, S>,
  key: PRNGKey,
  inputShape: Shape,
  options?: InitOptions,
): InitializedWithState<P, S | NoState> =>
  isStateful(layer)
    ? layer.init(key, inputShape, options)
    : { ...layer.init(key, inputShape, options), state: noState };

/** The state a stateful layer was given, checked to be there: calling one without its state is a usage error. */
const requireState = <S extends TensorTree>(layer: StatefulLayer<TensorTree, S>, state: S | undefined): S => {
  checkLayer(
    state !== undefined,
    layer.config,
    () => "has state: pass the state its init returned (in training, the training state's modelState)",
  );
  return state;
};

/**
 * Runs any layer: a stateful one with its state, returning the next; a stateless one
 * as `layer.apply`, returning the state it was given (so models of either kind are run
 * the same way).
 *
 * @example
 * ```ts
 * const { y, state: next } = applyLayer(model, params, x, { training: true, key: k }, state);
 * ```
 */
export const applyLayer = <P extends TensorTree, S extends TensorTree>(
  layer: AnyLayer<P, S>,
  params: P,
  x: Tensor,
  ctx: ApplyContext = inference,
  state?: S,
): Applied<S | NoState> =>
  isStateful(layer)
    ? layer.apply(params, x, ctx, requireState(layer, state))
    : { y: layer.apply(params, x, ctx), state: state ?? noState };

/**
 * As {@link applyLayer}, stopped before a final softmax or sigmoid (see {@link applySplit}).
 *
 * @example
 * ```ts
 * const { split, state: next } = applyLayerSplit(model, params, x, ctx, state);
 * ```
 */
export const applyLayerSplit = <P extends TensorTree, S extends TensorTree>(
  layer: AnyLayer<P, S>,
  params: P,
  x: Tensor,
  ctx: ApplyContext = inference,
  state?: S,
): SplitApplied<S | NoState> => {
  if (!isStateful(layer)) return { split: applySplit(layer, params, x, ctx), state: state ?? noState };
  const given = requireState(layer, state);
  if (layer.applySplit) return layer.applySplit(params, x, ctx, given);
  const { y, state: next } = layer.apply(params, x, ctx, given);
  return { split: { preActivation: y, activation: 'none' }, state: next };
};

/**
 * The output a split describes: its final activation applied.
 *
 * @example
 * ```ts
 * finishOutput(applySplit(model, params, x)); // equals model.apply(params, x)
 * ```
 */
export const finishOutput = (split: SplitOutput): Tensor =>
  split.activation === 'none' ? split.preActivation : activate(split.activation, split.preActivation);

/**
 * A layer used wrongly: an input shape it cannot take, a missing key. The message names the layer.
 *
 * @example
 * ```ts
 * try { layer.apply(params, x); } catch (e) { if (e instanceof LayerError) report(e.layer, e.detail); }
 * ```
 */
export class LayerError extends Error {
  override readonly name = 'LayerError';

  constructor(
    /** The layer, e.g. `dense(128, relu)`. */
    readonly layer: string,
    readonly detail: string,
  ) {
    super(`${layer}: ${detail}`);
  }
}

/**
 * Throws a {@link LayerError} for the layer `config` describes unless `condition` holds.
 *
 * @example
 * ```ts
 * checkLayer(rate < 1, config, () => `rate must be below 1, got ${rate}`);
 * ```
 */
export function checkLayer(condition: boolean, config: LayerConfig, detail: () => string): asserts condition {
  if (!condition) throw new LayerError(describeLayer(config), detail());
}

/**
 * Formats a sample shape with its batch axis, as messages show it: `[batch,784]`.
 *
 * @example
 * ```ts
 * showBatchShape([28, 28]); // '[batch,28,28]'
 * ```
 */
export const showBatchShape = (shape: Shape): string => `[batch${shape.map((d) => `,${d}`).join('')}]`;

/**
 * Number of parameters (elements) in a tree of tensors.
 *
 * @example
 * ```ts
 * countParams(model.init(key(0), [784]).params); // 118282 for 784-128-128-10
 * ```
 */
export const countParams = (params: TensorTree): number => treeLeaves(params).reduce((total, p) => total + p.size, 0);
