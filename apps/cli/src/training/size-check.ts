import type * as E from 'fp-ts/lib/Either.js';
import { fashionMnist, mnist } from '@axon/data';
import type { Shape } from '@axon/tensor';
import type { Machine } from '../commands/command-io.js';
import { takesImages, type Architecture } from '../model/architecture.js';
import type { LayerSpec } from '../model/layer-spec.js';
import { checkModelSize, type MemoryEstimate, type MemoryLimit, type ModelShape } from './model-size.js';
import type { TrainingSettings } from './settings.js';
import type { DatasetName } from './vocabulary.js';

/** What the model's shape depends on in the data: the shape of a sample, and the classes. */
export interface DataShape {
  readonly sampleShape: Shape;
  readonly classes: number;
}

const product = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

/**
 * What a data set's name tells of its shape before it is loaded: MNIST's and
 * Fashion-MNIST's are fixed. Of a directory of IDX files nothing, so for a stack of
 * dense layers the smallest it could be (one value per sample, one class), which still
 * catches a model too large for any data; for convolutions, which need images of some
 * size, null (checked once the data is loaded).
 *
 * @example
 * knownDataShape('mnist', tutorialSettings.layers); // { sampleShape: [28, 28], classes: 10 }
 * knownDataShape('idx', builtInModels.cnn);        // null
 */
export function knownDataShape(dataset: DatasetName, layers: readonly LayerSpec[]): DataShape | null {
  const spec = dataset === 'mnist' ? mnist : dataset === 'fashion-mnist' ? fashionMnist : undefined;
  if (spec?.sampleShape !== undefined) return { sampleShape: spec.sampleShape, classes: spec.classNames?.length ?? 1 };
  return takesImages(layers) ? null : { sampleShape: [1], classes: 1 };
}

/**
 * The memory `axon train` may use: `--max-memory`, else half of the machine's memory
 * (the rest is for the data, Node and everything else running).
 *
 * @example
 * memoryLimitOf(null, { cores: 8, memoryBytes: 16e9 }); // { bytes: 8e9, source: "half of this machine's memory" }
 */
export function memoryLimitOf(maxMemory: number | null, machine: Machine): MemoryLimit {
  return maxMemory === null
    ? { bytes: machine.memoryBytes / 2, source: "half of this machine's memory" }
    : { bytes: maxMemory, source: '--max-memory' };
}

/**
 * What the memory estimate needs of a planned classifier: the values of a sample, and
 * each layer's params, state and new output values (a flatten's output shares its input's).
 *
 * @example
 * modelShapeOf(architecture, { batchSize: 128, optimizer: 'adam' }).inputValues; // 784
 */
export function modelShapeOf(
  architecture: Architecture,
  settings: Pick<TrainingSettings, 'batchSize' | 'optimizer'>,
): ModelShape {
  return {
    inputValues: product(architecture.inputShape),
    layers: architecture.layers.map((planned) => ({
      params: planned.params,
      stateValues: planned.stateValues,
      outputValues: planned.layer.config.kind === 'flatten' ? 0 : product(planned.outputShape),
    })),
    batchSize: settings.batchSize,
    optimizer: settings.optimizer,
  };
}

/**
 * Checks, before any allocation, that the planned classifier can train within the
 * memory limit (`--max-memory`, else half of the machine's). Left is one line with the
 * estimate.
 *
 * @example
 * checkTrainingSize(architecture, settings, null, machine); // left('the model needs about …') for --layers 100000,100000
 */
export function checkTrainingSize(
  architecture: Architecture,
  settings: Pick<TrainingSettings, 'batchSize' | 'optimizer'>,
  maxMemory: number | null,
  machine: Machine,
): E.Either<string, MemoryEstimate> {
  return checkModelSize(modelShapeOf(architecture, settings), memoryLimitOf(maxMemory, machine));
}
