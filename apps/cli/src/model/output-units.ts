import { outputShapeOf, type SavedModel } from '@axon/io';
import * as E from 'fp-ts/lib/Either.js';

/**
 * The number of output units of a saved model: the size of the last axis of its
 * output, or NaN when its layers do not fit its input shape.
 *
 * @example
 * outputUnitsOf(saved); // 10
 */
export function outputUnitsOf(saved: Pick<SavedModel, 'config' | 'inputShape'>): number {
  const shape = outputShapeOf(saved.config, saved.inputShape);
  return E.isRight(shape) ? (shape.right.at(-1) ?? Number.NaN) : Number.NaN;
}
