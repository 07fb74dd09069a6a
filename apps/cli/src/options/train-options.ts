import * as E from 'fp-ts/lib/Either.js';
import {
  FractionBelowOne,
  FractionUpToHalf,
  FractionUpToOne,
  NonNegativeInteger,
  NonNegativeNumber,
  PositiveInteger,
  PositiveNumber,
} from '@axon/io/codec';
import { defaultAugmentation, FillModeName, type AugmentationSettings } from '../training/augmentation.js';
import {
  DecayFactor,
  defaultLearningRateDecay,
  tutorialSettings,
  type TrainingSettings,
} from '../training/settings.js';
import { builtInModels, layerSpecsText, LayerSpecList } from '../model/layer-spec.js';
import {
  DatasetName,
  HiddenActivation,
  LearningRateSchedule,
  ModelName,
  OptimizerName,
} from '../training/vocabulary.js';
import {
  backendOption,
  gpuModeOption,
  dataDirOption,
  idxNeedsDataDir,
  jsonOption,
  threadsOption,
  verboseOption,
} from './common-options.js';
import { ByteSize, integerFromString, numberFromString, PathText } from './from-string.js';
import { type ConfigOf, longFlag, optionalValue, switchOption, withValue } from './option-spec.js';

const defaults = tutorialSettings;

/** The options of `axon train`; given none, it runs the TensorFlow beginner tutorial's program. */
export const trainOptions = {
  dataset: withValue('--dataset <name>', 'data set', DatasetName, defaults.dataset),
  dataDir: dataDirOption,
  epochs: withValue(
    '--epochs <n>',
    'passes over the training data',
    integerFromString(PositiveInteger),
    defaults.epochs,
  ),
  batchSize: withValue(
    '--batch-size <n>',
    'samples per optimizer step',
    integerFromString(PositiveInteger),
    defaults.batchSize,
  ),
  model: optionalValue(
    '--model <name>',
    `a built-in network: mlp, the tutorial's (--layers ${layerSpecsText(builtInModels.mlp)}), or cnn, Keras's mnist_convnet (--layers ${layerSpecsText(builtInModels.cnn)})`,
    ModelName,
    'mlp, unless --layers is given',
  ),
  layers: withValue(
    '--layers <list>',
    'the hidden layers, input side first: N or dense:N[:ACTIVATION] (dense), conv:FILTERS:SIZE[:same][:stride=S][:dilation=D][:ACTIVATION], ' +
      'maxpool:SIZE[:same][:stride=S], avgpool:SIZE[:same][:stride=S], globalavgpool, batchnorm[:momentum=M][:epsilon=E], flatten, dropout:RATE',
    LayerSpecList,
    defaults.layers,
    layerSpecsText(defaults.layers),
  ),
  activation: withValue(
    '--activation <name>',
    'activation of the hidden dense and convolution layers that name none',
    HiddenActivation,
    defaults.activation,
  ),
  dropout: withValue(
    '--dropout <rate>',
    'dropout rate after each hidden dense layer',
    numberFromString(FractionBelowOne),
    defaults.dropout,
  ),
  optimizer: withValue('--optimizer <name>', 'optimizer', OptimizerName, defaults.optimizer),
  learningRate: withValue(
    '--learning-rate <x>',
    'learning rate',
    numberFromString(PositiveNumber),
    defaults.learningRate,
  ),
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
  seed: optionalValue(
    '--seed <n>',
    'random seed',
    integerFromString(NonNegativeInteger),
    'a fresh one, recorded with the model',
  ),
  limit: optionalValue(
    '--limit <n>',
    'train on the first n training samples only',
    integerFromString(PositiveInteger),
    'all',
  ),
  augment: switchOption(
    '--augment',
    "augment every training batch with random shifts, rotations and zooms, as Keras's preprocessing layers do (tuned by --augment-*)",
  ),
  augmentTranslation: optionalValue(
    '--augment-translation <f>',
    'with --augment: the largest shift, as a fraction of the height and width (Keras RandomTranslation)',
    numberFromString(FractionUpToOne),
    String(defaultAugmentation.translation),
  ),
  augmentRotation: optionalValue(
    '--augment-rotation <f>',
    'with --augment: the largest rotation either way, as a fraction of a full turn (Keras RandomRotation; 0.03 is about 11°)',
    numberFromString(FractionUpToHalf),
    String(defaultAugmentation.rotation),
  ),
  augmentZoom: optionalValue(
    '--augment-zoom <f>',
    'with --augment: the largest zoom in or out, as a fraction (Keras RandomZoom)',
    numberFromString(FractionBelowOne),
    String(defaultAugmentation.zoom),
  ),
  augmentNoise: optionalValue(
    '--augment-noise <s>',
    'with --augment: the standard deviation of Gaussian noise added to the scaled inputs (Keras GaussianNoise)',
    numberFromString(NonNegativeNumber),
    String(defaultAugmentation.noise),
  ),
  augmentFill: optionalValue(
    '--augment-fill <mode>',
    'with --augment: how pixels from outside the image read',
    FillModeName,
    defaultAugmentation.fill,
  ),
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
  checkpointEvery: optionalValue(
    '--checkpoint-every <n>',
    'also write a resumable checkpoint into --out every n epochs',
    integerFromString(PositiveInteger),
    'only at the end, and on Ctrl-C',
  ),
  resume: optionalValue(
    '--resume <dir>',
    'continue the run whose model directory this is, to the --epochs total (writes to it unless --out is given)',
    PathText,
    'a fresh run',
  ),
  json: jsonOption,
  quiet: switchOption('--quiet', 'print only the final result'),
  verbose: verboseOption,
};

type TrainOptions = ConfigOf<typeof trainOptions>;

/** The `--augment-*` options, which tune `--augment`, by the setting each gives. */
const augmentOptions = {
  translation: 'augmentTranslation',
  rotation: 'augmentRotation',
  zoom: 'augmentZoom',
  noise: 'augmentNoise',
  fill: 'augmentFill',
} as const satisfies Record<keyof AugmentationSettings, keyof TrainOptions>;

/**
 * What `axon train` was asked to do. `seed: null` means "pick one"; `augmentation` gathers
 * `--augment` and its tuning options (null: no augmentation); `given` lists the options
 * given on the command line, which a resumed run checks against its checkpoint.
 */
export type TrainConfig = {
  readonly command: 'train';
  readonly augmentation: AugmentationSettings | null;
  readonly given: ReadonlySet<keyof typeof trainOptions & string>;
} & TrainOptions;

/**
 * Completes the decoded options with the checks that involve more than one option, and
 * gathers `--augment` and its tuning options into the augmentation settings.
 *
 * @example
 * trainConfig({ ...options, dataset: 'idx', dataDir: null }, new Set(['dataset'])); // left('--dataset idx needs --data-dir DIR …')
 * trainConfig({ ...options, earlyStopping: 3, validationSplit: 0 }, new Set()); // left('--early-stopping needs --validation-split F: …')
 * trainConfig({ ...options, augment: true, augmentRotation: 0.05 }, new Set()).augmentation; // { translation: 0.1, rotation: 0.05, … }
 */
export function trainConfig(
  options: TrainOptions,
  given: ReadonlySet<keyof typeof trainOptions & string> = new Set(),
): E.Either<string, TrainConfig> {
  // A resumed run takes its data set and settings from the checkpoint, so those are checked then.
  if (options.dataset === 'idx' && options.dataDir === null && options.resume === null) return E.left(idxNeedsDataDir);
  if (options.earlyStopping !== null && options.validationSplit === 0 && options.resume === null) {
    return E.left('--early-stopping needs --validation-split F: it stops on the loss of the held-out samples');
  }
  if (options.lrDecay !== null && options.lrSchedule !== 'exponential')
    return E.left('--lr-decay applies only with --lr-schedule exponential');
  if (options.model !== null && given.has('layers'))
    return E.left(
      `--model and --layers both describe the network: give one (--model ${options.model} is --layers ${layerSpecsText(builtInModels[options.model])})`,
    );
  const layers = options.model === null ? options.layers : builtInModels[options.model];
  if (options.dropout > 0 && layers.length > 0 && !layers.some((layer) => layer.kind === 'dense')) {
    return E.left(
      `--dropout adds dropout after each hidden dense layer, and --layers ${layerSpecsText(layers)} has none: write dropout:${options.dropout} into --layers where it belongs`,
    );
  }
  const lrDecay = options.lrSchedule === 'exponential' ? (options.lrDecay ?? defaultLearningRateDecay) : null;
  const { augment, augmentTranslation, augmentRotation, augmentZoom, augmentNoise, augmentFill } = options;
  const tuning = {
    translation: augmentTranslation,
    rotation: augmentRotation,
    zoom: augmentZoom,
    noise: augmentNoise,
    fill: augmentFill,
  };
  const stray = (Object.keys(augmentOptions) as (keyof AugmentationSettings)[]).find(
    (setting) => tuning[setting] !== null,
  );
  if (!augment && stray !== undefined)
    return E.left(`${longFlag(trainOptions[augmentOptions[stray]])} applies only with --augment`);
  const augmentation: AugmentationSettings | null = augment
    ? {
        translation: augmentTranslation ?? defaultAugmentation.translation,
        rotation: augmentRotation ?? defaultAugmentation.rotation,
        zoom: augmentZoom ?? defaultAugmentation.zoom,
        noise: augmentNoise ?? defaultAugmentation.noise,
        fill: augmentFill ?? defaultAugmentation.fill,
      }
    : null;
  return E.right({ command: 'train', ...options, layers, lrDecay, augmentation, given });
}

/** The option of each training setting, for messages about a resume that contradicts its checkpoint. */
export const settingOptions: Readonly<
  Record<Exclude<keyof TrainingSettings, 'epochs'>, keyof typeof trainOptions & string>
> = {
  dataset: 'dataset',
  layers: 'layers',
  activation: 'activation',
  dropout: 'dropout',
  optimizer: 'optimizer',
  learningRate: 'learningRate',
  batchSize: 'batchSize',
  validationSplit: 'validationSplit',
  limit: 'limit',
  seed: 'seed',
  lrSchedule: 'lrSchedule',
  lrDecay: 'lrDecay',
  warmupSteps: 'warmupSteps',
  weightDecay: 'weightDecay',
  clipNorm: 'clipNorm',
  earlyStopping: 'earlyStopping',
  augmentation: 'augment',
};

/**
 * The settings to record for a run of `config` with the seed actually used.
 *
 * @example
 * trainingSettingsOf(config, 42); // { dataset: 'mnist', …, seed: 42 }
 */
export function trainingSettingsOf(config: TrainConfig, seed: number): TrainingSettings {
  const { dataset, layers, activation, dropout, optimizer, learningRate, epochs, batchSize, validationSplit, limit } =
    config;
  const { lrSchedule, lrDecay, warmupSteps, weightDecay, clipNorm, earlyStopping, augmentation } = config;
  return {
    dataset,
    layers,
    activation,
    dropout,
    optimizer,
    learningRate,
    epochs,
    batchSize,
    validationSplit,
    limit,
    seed,
    lrSchedule,
    lrDecay,
    warmupSteps,
    weightDecay,
    clipNorm,
    earlyStopping,
    augmentation,
  };
}
