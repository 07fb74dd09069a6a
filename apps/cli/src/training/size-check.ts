import type * as E from 'fp-ts/lib/Either.js';
import { fashionMnist, mnist } from '@axon/data';
import type { Machine } from '../commands/command-io.js';
import type { TrainConfig } from '../options/train-options.js';
import { checkModelSize, type MemoryEstimate, type MemoryLimit } from './model-size.js';
import type { DatasetName } from './vocabulary.js';

/** What the model's size depends on in the data: values per sample, and classes. */
export interface DataShape {
  readonly inputSize: number;
  readonly classes: number;
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * What a data set's name tells of its shape before it is loaded: MNIST's and
 * Fashion-MNIST's are fixed; of a directory of IDX files nothing, so the smallest it
 * could be (one value per sample, one class), which still catches a model too large
 * for any data.
 *
 * @example
 * knownDataShape('mnist'); // { inputSize: 784, classes: 10 }
 */
export function knownDataShape(dataset: DatasetName): DataShape {
  const spec = dataset === 'mnist' ? mnist : dataset === 'fashion-mnist' ? fashionMnist : undefined;
  return {
    inputSize: spec?.sampleShape === undefined ? 1 : product(spec.sampleShape),
    classes: spec?.classNames?.length ?? 1,
  };
}

/**
 * The memory `axon train` may use: `--max-memory`, else half of the machine's memory
 * (the rest is for the data, Node and everything else running).
 *
 * @example
 * memoryLimitOf(null, { cores: 8, memoryBytes: 16e9 }); // { bytes: 8e9, source: "half of this machine's memory" }
 */
export function memoryLimitOf(maxMemory: number | null, machine: Machine): MemoryLimit {
  return maxMemory === null ? { bytes: machine.memoryBytes / 2, source: "half of this machine's memory" } : { bytes: maxMemory, source: '--max-memory' };
}

/**
 * Checks, before any allocation, that the classifier `config` describes can train
 * within the memory limit on data of the given shape. Left is one line with the
 * estimate.
 *
 * @example
 * checkTrainingSize({ ...config, layers: [100000, 100000] }, machine, knownDataShape('mnist')); // left('the model needs about …')
 */
export function checkTrainingSize(config: TrainConfig, machine: Machine, data: DataShape): E.Either<string, MemoryEstimate> {
  return checkModelSize(
    { inputSize: data.inputSize, layers: config.layers, classes: data.classes, batchSize: config.batchSize, optimizer: config.optimizer },
    memoryLimitOf(config.maxMemory, machine),
  );
}
