import * as E from 'fp-ts/lib/Either.js';
import { FractionBelowOne, NonNegativeInteger, PositiveInteger, PositiveNumber } from '@axon/io/codec';
import type { TrainingSettings } from '../training/settings.js';
import { tutorialSettings } from '../training/settings.js';
import { DatasetName, HiddenActivation, OptimizerName } from '../training/vocabulary.js';
import {
  backendOption,
  gpuModeOption,
  dataDirOption,
  idxNeedsDataDir,
  jsonOption,
  threadsOption,
  verboseOption,
} from './common-options.js';
import { ByteSize, integerFromString, integerListFromString, numberFromString, PathText } from './from-string.js';
import { type ConfigOf, optionalValue, switchOption, withValue } from './option-spec.js';

const defaults = tutorialSettings;

/** The options of `axon train`; given none, it runs the TensorFlow beginner tutorial's program. */
export const trainOptions = {
  dataset: withValue('--dataset <name>', 'data set', DatasetName, defaults.dataset),
  dataDir: dataDirOption,
  epochs: withValue('--epochs <n>', 'passes over the training data', integerFromString(PositiveInteger), defaults.epochs),
  batchSize: withValue('--batch-size <n>', 'samples per optimizer step', integerFromString(PositiveInteger), defaults.batchSize),
  layers: withValue(
    '--layers <units>',
    'units of each hidden dense layer',
    integerListFromString(PositiveInteger, 'comma-separated positive integers, such as 128,128, or "" for none'),
    defaults.layers,
    defaults.layers.join(','),
  ),
  activation: withValue('--activation <name>', 'activation of the hidden layers', HiddenActivation, defaults.activation),
  dropout: withValue('--dropout <rate>', 'dropout rate after each hidden layer', numberFromString(FractionBelowOne), defaults.dropout),
  optimizer: withValue('--optimizer <name>', 'optimizer', OptimizerName, defaults.optimizer),
  learningRate: withValue('--learning-rate <x>', 'learning rate', numberFromString(PositiveNumber), defaults.learningRate),
  validationSplit: withValue(
    '--validation-split <f>',
    'fraction of the training samples held out for validation',
    numberFromString(FractionBelowOne),
    defaults.validationSplit,
  ),
  seed: optionalValue('--seed <n>', 'random seed', integerFromString(NonNegativeInteger), 'a fresh one, recorded with the model'),
  limit: optionalValue('--limit <n>', 'train on the first n training samples only', integerFromString(PositiveInteger), 'all'),
  maxMemory: optionalValue(
    '--max-memory <size>',
    'refuse a model whose training is estimated to need more memory than this',
    ByteSize,
    "half of this machine's memory",
  ),
  backend: backendOption,
  gpuMode: gpuModeOption,
  threads: threadsOption,
  out: withValue('--out <dir>', 'directory to write the model to', PathText, './model'),
  json: jsonOption,
  quiet: switchOption('--quiet', 'print only the final result'),
  verbose: verboseOption,
};

/** What `axon train` was asked to do. `seed: null` means "pick one". */
export type TrainConfig = { readonly command: 'train' } & ConfigOf<typeof trainOptions>;

/**
 * Completes the decoded options with the checks that involve more than one option.
 *
 * @example
 * trainConfig({ ...options, dataset: 'idx', dataDir: null }); // left('--dataset idx needs --data-dir DIR …')
 */
export function trainConfig(options: ConfigOf<typeof trainOptions>): E.Either<string, TrainConfig> {
  return options.dataset === 'idx' && options.dataDir === null
    ? E.left(idxNeedsDataDir)
    : E.right({ command: 'train', ...options });
}

/**
 * The settings to record for a run of `config` with the seed actually used.
 *
 * @example
 * trainingSettingsOf(config, 42); // { dataset: 'mnist', …, seed: 42 }
 */
export function trainingSettingsOf(config: TrainConfig, seed: number): TrainingSettings {
  const { dataset, layers, activation, dropout, optimizer, learningRate, epochs, batchSize, validationSplit, limit } = config;
  return { dataset, layers, activation, dropout, optimizer, learningRate, epochs, batchSize, validationSplit, limit, seed };
}
