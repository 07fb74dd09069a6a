/**
 * Layers as pure values: `init(key, inputShape)` and `apply(params, x, ctx)`, composed
 * with `sequential`, described by plain configs. Layers with state (batch normalization)
 * take it and return the next one: `apply(params, x, ctx, state) → { y, state }`.
 *
 * @example
 * ```ts
 * import { layers } from '@axon/nn';
 * const model = layers.sequential([layers.flatten(), layers.dense(10, { activation: 'softmax' })]);
 * ```
 */
export { activation, elu, gelu, leakyRelu, linear, relu, sigmoid, softmax, tanh } from './activation.js';
export {
  batchNormalization,
  type BatchNormalizationOptions,
  type BatchNormalizationParams,
  type BatchNormalizationState,
} from './batch-normalization.js';
export {
  describeLayer,
  type ActivationConfig,
  type AveragePooling2DConfig,
  type BatchNormalizationConfig,
  type Conv2DConfig,
  type DenseConfig,
  type DropoutConfig,
  type FlattenConfig,
  type GlobalAveragePooling2DConfig,
  type LayerConfig,
  type MaxPooling2DConfig,
  type Pooling2DConfig,
  type ReshapeConfig,
  type SequentialConfig,
} from './config.js';
export { conv2d, isConv2DLayer, type Conv2DLayer, type Conv2DLayerOptions, type Conv2DParams } from './conv2d.js';
export { dense, type DenseOptions, type DenseParams } from './dense.js';
export { dropout } from './dropout.js';
export { fromConfig } from './from-config.js';
export {
  applyLayer,
  applyLayerSplit,
  applySplit,
  countParams,
  finishOutput,
  inference,
  initLayer,
  isStateful,
  LayerError,
  noState,
  type AnyLayer,
  type Applied,
  type ApplyContext,
  type Initialized,
  type InitializedWithState,
  type Layer,
  type NoParams,
  type NoState,
  type SplitApplied,
  type SplitOutput,
  type StatefulLayer,
} from './layer.js';
export { averagePooling2d, globalAveragePooling2d, maxPooling2d, type Pooling2DOptions } from './pooling.js';
export { flatten, reshape } from './reshape.js';
export { sequential, type Sequential, type SequentialOf, type StatefulSequential } from './sequential.js';
export { summarize, summary, type ModelSummary, type SummaryRow } from './summary.js';
