import * as E from 'fp-ts/lib/Either.js';
import type { LabeledArrays } from '@axon/data';

/**
 * Whether a split can be trained or evaluated on with `classCount` classes: it has at
 * least one sample, and every label is a class index. Left is one line naming the
 * split (`source`) and what its labels were measured against (`owner`), so a data set
 * that does not fit a model is reported before any work instead of failing inside it.
 *
 * @example
 * checkSplit(test, 4, 'the idx test set', 'the model');
 * // left('the idx test set has label 4, outside the 4 classes of the model (0 to 3)')
 */
export function checkSplit(
  split: LabeledArrays,
  classCount: number,
  source: string,
  owner: string,
): E.Either<string, void> {
  if (split.labels.length === 0) return E.left(`${source} is empty`);
  const outside = split.labels.find((label) => label < 0 || label >= classCount);
  return outside === undefined
    ? E.right(undefined)
    : E.left(`${source} has label ${outside}, outside the ${classCount} classes of ${owner} (0 to ${classCount - 1})`);
}

/**
 * Whether a split's samples have the shape another split's (or a model's) have, so that
 * a test set of another shape is refused before training instead of failing inside a
 * layer afterwards, or passing silently when only the layout differs (14×56 against
 * 28×28). Left is one line naming both.
 *
 * @example
 * checkSampleShape(test, [28, 28], 'the idx test set', 'the training set');
 * // left('the idx test set has samples of shape [14,56] but the training set has [28,28]')
 */
export function checkSampleShape(
  split: LabeledArrays,
  expected: readonly number[],
  source: string,
  owner: string,
): E.Either<string, void> {
  const shape = split.inputs.shape.slice(1);
  const same = shape.length === expected.length && shape.every((d, i) => d === expected[i]);
  return same
    ? E.right(undefined)
    : E.left(`${source} has samples of shape [${shape.join(',')}] but ${owner} has [${expected.join(',')}]`);
}
