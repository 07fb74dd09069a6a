import { KerasActivation } from '@axon/io';
import { oneOf } from '@axon/io/codec';
import type * as t from 'io-ts';

/**
 * The data sets `axon` trains on: the two built-in ones, or IDX files in a directory
 * of the user's choosing.
 */
export const DatasetName = oneOf(['mnist', 'fashion-mnist', 'idx']);
/** A data set name. */
export type DatasetName = t.TypeOf<typeof DatasetName>;

/** The networks `--model` names: the tutorial's MLP and Keras's `mnist_convnet`. */
export const ModelName = oneOf(['mlp', 'cnn']);
/** A built-in network's name. */
export type ModelName = t.TypeOf<typeof ModelName>;

/** The optimizers `--optimizer` offers. */
export const OptimizerName = oneOf(['sgd', 'momentum', 'adam', 'adamw', 'rmsprop', 'adagrad']);
/** An optimizer name. */
export type OptimizerName = t.TypeOf<typeof OptimizerName>;

/** The optimizers' learning-rate schedules `--lr-schedule` offers. */
export const LearningRateSchedule = oneOf(['constant', 'exponential', 'cosine']);
/** A learning-rate schedule name. */
export type LearningRateSchedule = t.TypeOf<typeof LearningRateSchedule>;

const hiddenActivations = [
  'relu',
  'tanh',
  'sigmoid',
  'elu',
  'gelu',
  'softplus',
  'linear',
  'softmax',
] as const satisfies readonly KerasActivation[];

/**
 * The activations `--activation` offers for hidden layers: every one axon implements and
 * the model file can save (a subset of {@link KerasActivation}).
 */
export const HiddenActivation = oneOf(hiddenActivations);
/** A hidden-layer activation name. */
export type HiddenActivation = t.TypeOf<typeof HiddenActivation>;

/** The compute backends, by the name `--backend` uses. */
export const BackendName = oneOf(['js', 'wasm', 'gpu']);
/** A backend name. */
export type BackendName = t.TypeOf<typeof BackendName>;

/** What `--backend` accepts: a backend, or `auto` to let `axon` choose. */
export const BackendChoice = oneOf(['auto', 'js', 'wasm', 'gpu']);
/** A backend choice. */
export type BackendChoice = t.TypeOf<typeof BackendChoice>;

/**
 * The gpu.js modes `--gpu-mode` accepts with `--backend gpu`: `auto` (a real GPU, else
 * gpu.js's WebAssembly mode), `gpu` (a real GPU or nothing), or one mode by name.
 */
export const GpuModeName = oneOf(['auto', 'gpu', 'headlessgl', 'webgl2', 'webgl', 'webasm', 'cpu']);
/** A gpu.js mode request. */
export type GpuModeName = t.TypeOf<typeof GpuModeName>;
