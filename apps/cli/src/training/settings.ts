import * as t from 'io-ts';
import {
  FractionBelowOne,
  NonNegativeInteger,
  NonNegativeNumber,
  PositiveInteger,
  PositiveNumber,
  withDefault,
} from '@axon/io/codec';
import { builtInModels, LayerSpecEntry } from '../model/layer-spec.js';
import { AugmentationSettings } from './augmentation.js';
import { DatasetName, HiddenActivation, LearningRateSchedule, OptimizerName } from './vocabulary.js';

/**
 * A factor a value keeps per period, above 0 and at most 1 (1 keeps it constant): the
 * learning rate's decay per epoch.
 */
export const DecayFactor = new t.Type<number, number, unknown>(
  'a number above 0, at most 1',
  (u): u is number => typeof u === 'number' && u > 0 && u <= 1,
  (u, c) => (typeof u === 'number' && u > 0 && u <= 1 ? t.success(u) : t.failure(u, c)),
  (n) => n,
);

/** `codec`, or null for "not set". */
const orNull = <A>(codec: t.Type<A, A, unknown>): t.Type<A | null, A | null, unknown> =>
  t.union([codec, t.null], `${codec.name} or null`);

/**
 * Everything that decides what a training run computes: the data, the network, the
 * optimizer, the augmentation and the seed. Recorded in the model file and in the `start` event, so a
 * run can be repeated exactly.
 */
export const TrainingSettings = t.type(
  {
    dataset: DatasetName,
    /**
     * The hidden layers, input side first, as `--layers` lists them (a number is a dense
     * layer of that many units); the output layer is not listed.
     */
    layers: t.readonlyArray(LayerSpecEntry, 'a list of layers'),
    activation: HiddenActivation,
    /** Dropout rate after each hidden layer; 0 means no dropout layers. */
    dropout: FractionBelowOne,
    optimizer: OptimizerName,
    learningRate: PositiveNumber,
    epochs: PositiveInteger,
    batchSize: PositiveInteger,
    /** The fraction of training samples held out for validation; 0 means none. */
    validationSplit: FractionBelowOne,
    /** Train on only the first `limit` training samples; `null` means all of them. */
    limit: t.union([PositiveInteger, t.null], 'a positive integer or null'),
    seed: NonNegativeInteger,
    // The settings below came later: a model file without them was trained without them.
    lrSchedule: withDefault(LearningRateSchedule, 'constant'),
    /** With the exponential schedule, the factor the learning rate keeps per epoch; else null. */
    lrDecay: withDefault(orNull(DecayFactor), null),
    /** Steps of linear warm-up from 0 to the learning rate, before the schedule. */
    warmupSteps: withDefault(NonNegativeInteger, 0),
    /** L2 weight decay (adamw: its decoupled decay); null means the optimizer's default (0; adamw: 0.004). */
    weightDecay: withDefault(orNull(NonNegativeNumber), null),
    /** The global gradient norm beyond which gradients are scaled down; null means no clipping. */
    clipNorm: withDefault(orNull(PositiveNumber), null),
    /** Epochs without a better validation loss before training stops (keeping the best weights); null means never. */
    earlyStopping: withDefault(orNull(PositiveInteger), null),
    /** How every training batch is augmented (`--augment`); null means not at all. */
    augmentation: withDefault(orNull(AugmentationSettings), null),
  },
  'training settings ({ dataset, layers, activation, … })',
);
/** The settings of one training run. */
export type TrainingSettings = t.TypeOf<typeof TrainingSettings>;

/**
 * The program of the TensorFlow beginner tutorial, which `axon train` reproduces when
 * given no options: MNIST scaled to [0, 1], dense(128, relu) → dense(128, relu) →
 * dense(10, softmax), Adam at 0.001, batches of 128, 10 epochs. The seed is not part
 * of it: the tutorial leaves it to chance, and so does `axon` unless `--seed` is given.
 */
export const tutorialSettings: Omit<TrainingSettings, 'seed'> = {
  dataset: 'mnist',
  layers: builtInModels.mlp,
  activation: 'relu',
  dropout: 0,
  optimizer: 'adam',
  learningRate: 0.001,
  epochs: 10,
  batchSize: 128,
  validationSplit: 0,
  limit: null,
  lrSchedule: 'constant',
  lrDecay: null,
  warmupSteps: 0,
  weightDecay: null,
  clipNorm: null,
  earlyStopping: null,
  augmentation: null,
};

/** The decay per epoch of `--lr-schedule exponential` when `--lr-decay` is not given. */
export const defaultLearningRateDecay = 0.9;

/** `axon` evaluates test sets in batches of this many samples unless told otherwise. */
export const evaluationBatchSize = 1000;
