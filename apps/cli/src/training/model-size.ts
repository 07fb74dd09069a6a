import * as E from 'fp-ts/lib/Either.js';
import { formatBytes } from '../output/format.js';
import { evaluationBatchSize } from './settings.js';
import type { OptimizerName } from './vocabulary.js';

/** axon trains in float32. */
const bytesPerValue = 4;

/**
 * Copies of the parameters alive at the peak of a training step, per optimizer state
 * slot and besides: the parameters and their new values, the gradients, and the
 * temporaries of the update, which the garbage collector frees some time later.
 * Measured peaks (resident memory above an empty run, dense layers of 2048, tiny data):
 * sgd 6 copies on the js backend and 10 on wasm, adam 12 and 17; these constants sit
 * between the two.
 */
const copiesBesidesState = 8;
const copiesPerStateSlot = 4;

/** Values each optimizer keeps per parameter. */
const stateSlots: Readonly<Record<OptimizerName, number>> = {
  sgd: 0,
  momentum: 1,
  adam: 2,
  adamw: 2,
  rmsprop: 1,
  adagrad: 1,
};

/**
 * Values per output value of a layer per sample of a batch in flight: the layer's
 * output, its pre-activation, its gradient, and a temporary.
 */
const valuesPerUnit = 4;

/**
 * Copies of the state (batch normalization's moving statistics) alive during a step:
 * the state, the next one, and a temporary.
 */
const copiesOfState = 3;

/** What one layer of a classifier holds. */
export interface LayerSize {
  /** Values trained by gradients. */
  readonly params: number;
  /** Values of state that is not trained, such as batch normalization's moving statistics. */
  readonly stateValues: number;
  /** Values the layer's output adds per sample (0 for a flatten, whose output shares its input's memory). */
  readonly outputValues: number;
}

/** What decides the memory a classifier needs to train. */
export interface ModelShape {
  /** Values per input sample (784 for 28×28 images). */
  readonly inputValues: number;
  readonly layers: readonly LayerSize[];
  readonly batchSize: number;
  readonly optimizer: OptimizerName;
}

/** An estimate of the memory training takes. */
export interface MemoryEstimate {
  /** Params and state values, as Keras's total params counts them. */
  readonly parameters: number;
  readonly bytes: number;
}

/**
 * Estimates the memory training a classifier takes, from its shape alone (so it can be
 * checked before any data is loaded or anything allocated): the parameters, copied as a
 * training step copies them (more for optimizers with state), the layers' state, plus
 * the activations of the larger of a training batch and an evaluation batch (for a
 * convolution, its output images: 21,632 values per MNIST image for 32 filters of 3×3).
 * The training data itself is not counted.
 *
 * @example
 * estimateTrainingMemory({ inputValues: 784, layers: [dense(784→128), dense(128→128), dense(128→10)], batchSize: 128, optimizer: 'adam' });
 * // { parameters: 118282, bytes: 24370048 } (about 24 MB)
 */
export function estimateTrainingMemory(shape: ModelShape): MemoryEstimate {
  const total = (size: (layer: LayerSize) => number): number =>
    shape.layers.reduce((sum, layer) => sum + size(layer), 0);
  const params = total((layer) => layer.params);
  const stateValues = total((layer) => layer.stateValues);
  const copies = copiesBesidesState + copiesPerStateSlot * stateSlots[shape.optimizer];
  const values = shape.inputValues + total((layer) => layer.outputValues);
  const activations = valuesPerUnit * values * Math.max(shape.batchSize, evaluationBatchSize);
  return {
    parameters: params + stateValues,
    bytes: bytesPerValue * (copies * params + copiesOfState * stateValues + activations),
  };
}

/** The most memory training may take, and where that figure comes from, for the message. */
export interface MemoryLimit {
  readonly bytes: number;
  /** E.g. `half of this machine's memory` or `--max-memory`. */
  readonly source: string;
}

/**
 * Refuses a model whose {@link estimateTrainingMemory estimate} exceeds the limit, with
 * one line giving the estimate, the limit and what to change.
 *
 * @example
 * checkModelSize(shapeOf(784 → 100000 → 100000 → 10, adam), { bytes: 8e9, source: "half of this machine's memory" });
 * // left('the model needs about 648.3 GB to train (10,079,600,010 parameters with adam), more than the 8.0 GB allowed (half of …); …')
 */
export function checkModelSize(shape: ModelShape, limit: MemoryLimit): E.Either<string, MemoryEstimate> {
  const estimate = estimateTrainingMemory(shape);
  return estimate.bytes <= limit.bytes
    ? E.right(estimate)
    : E.left(
        `the model needs about ${formatBytes(estimate.bytes)} to train (${estimate.parameters.toLocaleString('en-US')} parameters with ${shape.optimizer}), ` +
          `more than the ${formatBytes(limit.bytes)} allowed (${limit.source}); use smaller --layers or --batch-size, or raise --max-memory`,
      );
}
