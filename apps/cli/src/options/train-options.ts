import * as E from 'fp-ts/lib/Either.js';
import { FractionBelowOne, NonNegativeInteger, NonNegativeNumber, PositiveInteger, PositiveNumber } from '@axon/io/codec';
import { DecayFactor, defaultLearningRateDecay, tutorialSettings, type TrainingSettings } from '../training/settings.js';
import { DatasetName, HiddenActivation, LearningRateSchedule, OptimizerName } from '../training/vocabulary.js';
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
  lrSchedule: withValue(
    '--lr-schedule <name>',
    'how the learning rate changes: constant, exponential (decays by --lr-decay each epoch) or cosine (half a cosine down to 0 over the run)',
    LearningRateSchedule,
    defaults.lrSchedule,
  ),
  lrDecay: optionalValue(
    '--lr-decay <factor>',
    'with --lr-schedule exponential, the factor the learning rate is multiplied by each epoch (smoothly, step by step)',
    numberFromString(DecayFactor),
    `${defaultLearningRateDecay}`,
  ),
  warmupSteps: withValue(
    '--warmup-steps <n>',
    'steps of linear warm-up from 0 to the learning rate, before the schedule starts',
    integerFromString(NonNegativeInteger),
    defaults.warmupSteps,
  ),
  weightDecay: optionalValue(
    '--weight-decay <x>',
    'L2 weight decay added to the gradients; with adamw, its decoupled weight decay',
    numberFromString(NonNegativeNumber),
    '0; adamw: 0.004',
  ),
  clipNorm: optionalValue(
    '--clip-norm <x>',
    'scale the gradients down whenever their global norm exceeds this',
    numberFromString(PositiveNumber),
    'no clipping',
  ),
  validationSplit: withValue(
    '--validation-split <f>',
    'fraction of the training samples held out for validation',
    numberFromString(FractionBelowOne),
    defaults.validationSplit,
  ),
  earlyStopping: optionalValue(
    '--early-stopping <patience>',
    'stop when the validation loss has not improved for this many epochs, keeping the weights of the best epoch (needs --validation-split)',
    integerFromString(PositiveInteger),
    'off',
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
 * trainConfig({ ...options, earlyStopping: 3, validationSplit: 0 }); // left('--early-stopping needs --validation-split F: …')
 */
export function trainConfig(options: ConfigOf<typeof trainOptions>): E.Either<string, TrainConfig> {
  if (options.dataset === 'idx' && options.dataDir === null) return E.left(idxNeedsDataDir);
  if (options.earlyStopping !== null && options.validationSplit === 0) {
    return E.left('--early-stopping needs --validation-split F: it stops on the loss of the held-out samples');
  }
  if (options.lrDecay !== null && options.lrSchedule !== 'exponential') return E.left('--lr-decay applies only with --lr-schedule exponential');
  const lrDecay = options.lrSchedule === 'exponential' ? (options.lrDecay ?? defaultLearningRateDecay) : null;
  return E.right({ command: 'train', ...options, lrDecay });
}

/**
 * The settings to record for a run of `config` with the seed actually used.
 *
 * @example
 * trainingSettingsOf(config, 42); // { dataset: 'mnist', …, seed: 42 }
 */
export function trainingSettingsOf(config: TrainConfig, seed: number): TrainingSettings {
  const { dataset, layers, activation, dropout, optimizer, learningRate, epochs, batchSize, validationSplit, limit } = config;
  const { lrSchedule, lrDecay, warmupSteps, weightDecay, clipNorm, earlyStopping } = config;
  return {
    dataset, layers, activation, dropout, optimizer, learningRate, epochs, batchSize, validationSplit, limit, seed,
    lrSchedule, lrDecay, warmupSteps, weightDecay, clipNorm, earlyStopping,
  };
}
