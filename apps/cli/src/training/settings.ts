import * as t from 'io-ts';
import { FractionBelowOne, NonNegativeInteger, PositiveInteger, PositiveNumber } from '@axon/io/codec';
import { AugmentationSettings } from './augmentation.js';
import { DatasetName, HiddenActivation, OptimizerName } from './vocabulary.js';

/**
 * Everything that decides what a training run computes: the data, the network, the
 * optimizer, the augmentation and the seed. Recorded in the model file and in the
 * `start` event, so a run can be repeated exactly.
 */
export const TrainingSettings = t.intersection(
  [
    t.type({
      dataset: DatasetName,
      /** Units of each hidden dense layer, input side first; the output layer is not listed. */
      layers: t.readonlyArray(PositiveInteger, 'a list of positive integers'),
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
    }),
    // Absent when the run was not augmented, as in files written before augmentation existed.
    t.partial({ augmentation: AugmentationSettings }),
  ],
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
  layers: [128, 128],
  activation: 'relu',
  dropout: 0,
  optimizer: 'adam',
  learningRate: 0.001,
  epochs: 10,
  batchSize: 128,
  validationSplit: 0,
  limit: null,
};
