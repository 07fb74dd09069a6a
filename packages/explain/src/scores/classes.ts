import { argmax, type Tensor } from '@axon/tensor';
import { ensure } from '../error.js';

/**
 * The class each sample's attribution explains: the model's top class
 * (`'predicted'`), one class for every sample, or one per sample.
 */
export type ClassChoice = 'predicted' | number | readonly number[];

/**
 * The explained class of every sample, given the scores `[n, classes]` at the inputs.
 *
 * @example
 * ```ts
 * explainedClasses('explain', tensor([[0.1, 0.9], [0.8, 0.2]]), 'predicted'); // Int32Array [1, 0]
 * explainedClasses('explain', scores, 3);                                     // class 3 for every sample
 * ```
 */
export const explainedClasses = (method: string, scores: Tensor, choice: ClassChoice): Int32Array => {
  const [n, classCount] = scores.shape;
  if (choice === 'predicted') return Int32Array.from(argmax(scores, -1).values);
  const classes = typeof choice === 'number' ? new Array<number>(n).fill(choice) : choice;
  ensure(classes.length === n, method, () => `got ${classes.length} classes for ${n} samples`);
  const bad = classes.find((c) => !(Number.isInteger(c) && c >= 0 && c < classCount));
  ensure(
    bad === undefined,
    method,
    () => `class ${bad} is not one of the model's ${classCount} classes (0 to ${classCount - 1})`,
  );
  return Int32Array.from(classes);
};
