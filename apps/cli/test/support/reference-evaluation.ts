import { referenceForward } from '@axon/io/testing';
import { applyNormalization } from '../../src/model/axon-metadata.js';
import type { AxonSavedModel } from './model-files.js';
import { samplePixels, type SyntheticSplit } from './synthetic-idx.js';

/** What `axon evaluate` should report, computed independently of the CLI and @axon/nn. */
export interface ReferenceEvaluation {
  /** Mean cross-entropy of the true classes. */
  readonly loss: number;
  readonly accuracy: number;
  /** Counts, rows the true classes and columns the predicted ones. */
  readonly confusionMatrix: number[][];
  /** Each sample's class probabilities. */
  readonly probabilities: number[][];
}

/** Index of the largest value, the first one on ties (as argmax is everywhere). */
export const argmaxOf = (values: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
};

/**
 * The class probabilities an axon-trained model gives for one sample of raw 8-bit
 * pixels: normalized as its metadata says, then a float64 forward pass over the saved
 * weights.
 *
 * @example
 * referenceProbabilities(model, samplePixels(data.test, 0)); // [0.01, 0.97, …]
 */
export function referenceProbabilities(model: AxonSavedModel, rawPixels: ArrayLike<number>): number[] {
  if (model.metadata === null)
    throw new Error('referenceProbabilities: the model has no axon metadata (no normalization)');
  return referenceForward(model, applyNormalization(model.metadata.normalization, rawPixels));
}

/**
 * Evaluates a saved model on a generated split in float64: the numbers `axon evaluate`
 * must agree with up to float32 rounding.
 *
 * @example
 * const expected = referenceEvaluation(model, data.test, data.classes);
 */
export function referenceEvaluation(
  model: AxonSavedModel,
  split: SyntheticSplit,
  classes: number,
): ReferenceEvaluation {
  const probabilities = Array.from({ length: split.count }, (_, i) =>
    referenceProbabilities(model, samplePixels(split, i)),
  );
  const confusionMatrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let loss = 0;
  probabilities.forEach((p, i) => {
    loss -= Math.log(p[split.labels[i]]);
    confusionMatrix[split.labels[i]][argmaxOf(p)] += 1;
  });
  const correct = confusionMatrix.reduce((sum, row, i) => sum + row[i], 0);
  return { loss: loss / split.count, accuracy: correct / split.count, confusionMatrix, probabilities };
}
