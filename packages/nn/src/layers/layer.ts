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
  init(key: PRNGKey, inputShape: Shape, options?: InitOptions): Initialized<P>;
  apply(params: P, x: Tensor, ctx?: ApplyContext): Tensor;
  /**
   * `apply`, stopped before a final softmax or sigmoid. Layers that never end in one
   * leave it out; {@link applySplit} then uses `apply`.
   */
  applySplit?(params: P, x: Tensor, ctx?: ApplyContext): SplitOutput;
}

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
export const applySplit = <P extends TensorTree>(layer: Layer<P>, params: P, x: Tensor, ctx: ApplyContext = inference): SplitOutput =>
  layer.applySplit ? layer.applySplit(params, x, ctx) : { preActivation: layer.apply(params, x, ctx), activation: 'none' };

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
