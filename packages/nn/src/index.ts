/**
 * @axon/nn: pure layers, losses, metrics, Optax-style optimizers and a Keras-style
 * training loop on @axon/tensor. Params, optimizer states and training states are plain
 * values; randomness comes from explicit PRNG keys.
 *
 * @example
 * ```ts
 * import { key } from '@axon/tensor';
 * import { adam, fit, initTrainState, layers, losses } from '@axon/nn';
 *
 * const model = layers.sequential([
 *   layers.dense(128, { activation: 'relu' }),
 *   layers.dense(128, { activation: 'relu' }),
 *   layers.dense(10, { activation: 'softmax' }),
 * ]);
 * const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
 * const { state, history } = await fit(plan, initTrainState(plan, key(0), [784]), { x, y }, { epochs: 10, batchSize: 128 });
 * ```
 */
export * as layers from './layers/index.js';
export type {
  AnyLayer,
  ApplyContext,
  Layer,
  LayerConfig,
  Sequential,
  SplitOutput,
  StatefulLayer,
  StatefulSequential,
} from './layers/index.js';
export * as initializers from './initializers/initializers.js';
export type { Initializer, InitializerConfig, InitOptions } from './initializers/initializers.js';
export * as losses from './losses/losses.js';
export type { Loss, LossName } from './losses/losses.js';
export * as metrics from './metrics/metrics.js';
export { activate, activationNames, isActivationName, type ActivationName } from './activations/activations.js';

export {
  applyUpdates,
  chain,
  stateless,
  type ChainState,
  type EmptyState,
  type FusedPlan,
  type FusedStages,
  type GradientTransformation,
  type TransformResult,
} from './optim/base.js';
export { optimizerStep, type OptimizerStepResult } from './optim/step.js';
export {
  addDecayedWeights,
  clipByGlobalNorm,
  clipByValue,
  globalNorm,
  scale,
  scaleByAdagrad,
  scaleByAdam,
  scaleByLearningRate,
  scaleByRms,
  trace,
  type AdagradOptions,
  type AdagradState,
  type AdamEpsilonPlacement,
  type AdamOptions,
  type AdamState,
  type RmsOptions,
  type RmsState,
  type ScheduleState,
  type TraceOptions,
  type TraceState,
} from './optim/transform.js';
export {
  adagrad,
  adam,
  adamw,
  optimizerByName,
  rmsprop,
  sgd,
  type AdamWOptions,
  type OptimizerName,
  type RmspropOptions,
  type SgdOptions,
  type WeightDecayOption,
} from './optim/alias.js';
export {
  asSchedule,
  constantSchedule,
  cosineDecay,
  exponentialDecay,
  linearWarmup,
  stepDecay,
  type CosineDecayOptions,
  type ExponentialDecayOptions,
  type LearningRate,
  type Schedule,
  type StepDecayOptions,
} from './optim/schedules.js';

export { batchRanges, onBackendOf, rowsOf, splitValidation, takeBatch, type Dataset } from './training/data.js';
export {
  initTrainState,
  inputsKey,
  shuffleKey,
  stepKey,
  type TrainingPlan,
  type TrainState,
} from './training/state.js';
export { makeTrainStep, type StepMetrics, type StepResult, type TrainStep } from './training/train-step.js';
export { evaluate, predict, type BatchOptions, type Evaluation } from './training/evaluate.js';
export { type EarlyStoppingOptions, type MonitoredMetric } from './training/early-stopping.js';
export {
  fit,
  NonFiniteLossError,
  type BatchEndEvent,
  type CallbackResult,
  type Callbacks,
  type EpochBeginEvent,
  type EpochEndEvent,
  type EpochLog,
  type FitOptions,
  type FitResult,
  type InputTransform,
  type StopReason,
} from './training/fit.js';
