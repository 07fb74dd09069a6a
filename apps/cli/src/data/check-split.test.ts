import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { checkSampleShape, checkSplit } from './check-split.js';

const splitOf = (labels: readonly number[]) => ({
  inputs: { values: new Uint8Array(labels.length), shape: [labels.length, 1] },
  labels: Int32Array.from(labels),
});

describe('checkSplit', () => {
  it('accepts exactly the non-empty splits whose labels are all class indices, else names the first label outside', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: -2, max: 14 }), { maxLength: 20 }),
        (classes, labels) => {
          const result = checkSplit(splitOf(labels), classes, 'the idx test set', 'the model');
          const outside = labels.find((label) => label < 0 || label >= classes);
          if (labels.length === 0) expect(result).toEqual(E.left('the idx test set is empty'));
          else if (outside === undefined) expect(result).toEqual(E.right(undefined));
          else
            expect(result).toEqual(
              E.left(
                `the idx test set has label ${outside}, outside the ${classes} classes of the model (0 to ${classes - 1})`,
              ),
            );
        },
      ),
    );
  });
});

describe('checkSampleShape', () => {
  const withShape = (shape: readonly number[]) => ({
    inputs: { values: new Uint8Array(0), shape: [0, ...shape] },
    labels: new Int32Array(0),
  });
  const shape = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 });

  it('accepts exactly the same sample shape, whatever the sizes, and names both shapes otherwise', () => {
    fc.assert(
      fc.property(shape, shape, (a, b) => {
        const result = checkSampleShape(withShape(a), b, 'the idx test set', 'the training set');
        if (a.length === b.length && a.every((d, i) => d === b[i])) expect(result).toEqual(E.right(undefined));
        else
          expect(result).toEqual(
            E.left(`the idx test set has samples of shape [${a.join(',')}] but the training set has [${b.join(',')}]`),
          );
      }),
    );
    // The case that once passed: the same number of pixels, laid out otherwise.
    expect(E.isLeft(checkSampleShape(withShape([14, 56]), [28, 28], 'the idx test set', 'the training set'))).toBe(
      true,
    );
  });
});
