import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { checkSplit } from './check-split.js';

const splitOf = (labels: readonly number[]) => ({ inputs: { values: new Uint8Array(labels.length), shape: [labels.length, 1] }, labels: Int32Array.from(labels) });

describe('checkSplit', () => {
  it('accepts exactly the non-empty splits whose labels are all class indices, else names the first label outside', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(fc.integer({ min: -2, max: 14 }), { maxLength: 20 }), (classes, labels) => {
        const result = checkSplit(splitOf(labels), classes, 'the idx test set', 'the model');
        const outside = labels.find((label) => label < 0 || label >= classes);
        if (labels.length === 0) expect(result).toEqual(E.left('the idx test set is empty'));
        else if (outside === undefined) expect(result).toEqual(E.right(undefined));
        else expect(result).toEqual(E.left(`the idx test set has label ${outside}, outside the ${classes} classes of the model (0 to ${classes - 1})`));
      }),
    );
  });
});
