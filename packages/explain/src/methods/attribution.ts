import type { Tensor } from '@axon/tensor';
import { ensure } from '../error.js';
import { scoresInBatches } from '../gradients/batched.js';
import { explainedClasses, type ClassChoice } from '../scores/classes.js';
import type { ScoreFunction } from '../scores/score-function.js';

/** Options every attribution method takes. */
export interface AttributionOptions {
  /** The class to explain: the model's top class for each sample unless stated. */
  readonly target?: ClassChoice;
  /** The most input rows per forward/backward pass (bounds memory); 256 unless stated. */
  readonly batchSize?: number;
}

/** An attribution: how much each input value counts towards the explained class's score. */
export interface Attribution {
  /** One value per input value: the shape of the inputs. */
  readonly attributions: Tensor;
  /** The class explained for each sample. */
  readonly classes: readonly number[];
  /** The scores `[n, classes]` at the inputs: the model's prediction. */
  readonly scores: Tensor;
}

/** What every method starts from: checked inputs, the scores at them and the explained classes. */
export interface Prepared {
  readonly scores: Tensor;
  readonly classes: Int32Array;
  readonly classCount: number;
  readonly batchSize: number;
}

/**
 * Checks the inputs and options every method shares, then scores the inputs and
 * picks the explained classes.
 *
 * @example
 * ```ts
 * const { scores, classes, classCount, batchSize } = prepare('saliency', f, x, options);
 * ```
 */
export const prepare = (method: string, f: ScoreFunction, x: Tensor, options: AttributionOptions): Prepared => {
  ensure(
    x.dtype === 'float32' || x.dtype === 'float64',
    method,
    () => `inputs must be float32 or float64, got ${x.dtype}`,
  );
  ensure(
    x.rank >= 1 && x.shape[0] > 0,
    method,
    () => `inputs must be a batch [n, ...] of at least one sample, got [${x.shape.join(',')}]`,
  );
  const batchSize = options.batchSize ?? 256;
  ensure(
    Number.isInteger(batchSize) && batchSize > 0,
    method,
    () => `batchSize must be a positive integer, got ${batchSize}`,
  );
  const scores = scoresInBatches(method, f, x, batchSize);
  const classes = explainedClasses(method, scores, options.target ?? 'predicted');
  return { scores, classes, classCount: scores.shape[1], batchSize };
};

/**
 * The sum of each sample's attributions, in float64.
 *
 * @example
 * ```ts
 * attributionSums(tensor([[1, 2], [3, 4]])); // [3, 7]
 * ```
 */
export const attributionSums = (attributions: Tensor): number[] => {
  const n = attributions.shape[0];
  const width = attributions.size / n;
  const values = attributions.values;
  return Array.from({ length: n }, (_, i) => {
    let total = 0;
    for (let j = i * width; j < (i + 1) * width; j++) total += values[j];
    return total;
  });
};
