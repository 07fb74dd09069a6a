import * as E from 'fp-ts/lib/Either.js';
import { reshape, type Tensor } from '@axon/tensor';

/**
 * Samples shaped for a model's input: as they are when the shapes agree, reshaped when
 * only axes of extent 1 tell them apart (grey [28, 28] images for a convolution's
 * [28, 28, 1] input) or when one side is flat and the sizes agree (784 values for a
 * [28, 28] input, or 28×28 images for a [784] input), refused otherwise: 14×56 images
 * are not 28×28 ones. None of these reshapes moves a value.
 *
 * @example
 * fitInput(x, [28, 28], 'mnist');    // right(x) for x [n, 28, 28] or [n, 784]
 * fitInput(x, [28, 28, 1], 'mnist'); // right(x reshaped to [n, 28, 28, 1]) for x [n, 28, 28]
 */
export function fitInput(x: Tensor, inputShape: readonly number[], source: string): E.Either<string, Tensor> {
  const sample = x.shape.slice(1);
  const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
  const withoutUnitAxes = (shape: readonly number[]): string => shape.filter((d) => d !== 1).join(',');
  const same = withoutUnitAxes(sample) === withoutUnitAxes(inputShape);
  const flattened = (sample.length === 1 || inputShape.length === 1) && size(sample) === size(inputShape);
  if (!same && !flattened) {
    return E.left(
      `the model takes inputs of shape [${inputShape.join(',')}] but ${source} has samples of shape [${sample.join(',')}]`,
    );
  }
  return E.right(reshape(x, [x.shape[0], ...inputShape]));
}
