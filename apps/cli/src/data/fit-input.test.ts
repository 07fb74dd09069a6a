import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { tensor } from '@axon/tensor';
import { describe, expect, it } from 'vitest';
import { fitInput } from './fit-input.js';

const samples = (shape: readonly number[]) =>
  tensor(new Float32Array(2 * shape.reduce((a, b) => a * b, 1)), { shape: [2, ...shape] });

describe('fitInput', () => {
  it('takes samples of the same shape up to axes of extent 1, or of the same size when one side is flat, and refuses other layouts', () => {
    const shape = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(shape, shape, (sample, input) => {
        const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
        const squeezed = (s: readonly number[]) => s.filter((d) => d !== 1);
        const same =
          squeezed(sample).length === squeezed(input).length &&
          squeezed(sample).every((d, i) => d === squeezed(input)[i]);
        const flat = (sample.length === 1 || input.length === 1) && size(sample) === size(input);
        const result = fitInput(samples(sample), input, 'the test set');
        if (same || flat) expect(E.isRight(result) && result.right.shape).toEqual([2, ...input]);
        else
          expect(result).toEqual(
            E.left(
              `the model takes inputs of shape [${input.join(',')}] but the test set has samples of shape [${sample.join(',')}]`,
            ),
          );
      }),
    );
    expect(E.isRight(fitInput(samples([784]), [28, 28], 'mnist'))).toBe(true);
    expect(E.isLeft(fitInput(samples([14, 56]), [28, 28], 'mnist'))).toBe(true);
    // Grey images for a convolution's input with one channel, and not for one with three.
    expect(E.isRight(fitInput(samples([28, 28]), [28, 28, 1], 'mnist'))).toBe(true);
    expect(E.isLeft(fitInput(samples([28, 28]), [28, 28, 3], 'mnist'))).toBe(true);
  });
});
