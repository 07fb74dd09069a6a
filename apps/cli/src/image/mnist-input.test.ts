import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { mnistInputFromRgba } from '@axon/digit-image';
import { coverage, encodePng, one, opaqueGrey, rgba, seven, zero } from '../../test/support/png-fixtures.js';
import { mnistInputFromPng } from './mnist-input.js';

// The preprocessing itself is property-tested in @axon/digit-image; here, what the PNG adds.
const input = (png: Uint8Array): Float32Array => {
  const result = mnistInputFromPng(png);
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

describe('mnistInputFromPng', () => {
  it('is the shared preprocessing of the decoded picture', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(one, seven, zero),
        fc.integer({ min: 20, max: 80 }),
        fc.integer({ min: 2, max: 20 }),
        (shape, size, margin) => {
          const side = size + 2 * margin;
          const covered = coverage(shape, { width: side, height: side, left: margin, top: margin, size });
          const data = rgba(covered.length, (i) => opaqueGrey(255 * (1 - covered[i])));
          expect(mnistInputFromPng(encodePng(side, side, data))).toEqual(
            mnistInputFromRgba({ width: side, height: side, data }),
          );
        },
      ),
      { numRuns: 10 },
    );
  });

  it('reads every colour type and bit depth of the same picture alike', () => {
    const placement = { width: 60, height: 80, left: 10, top: 20, size: 45 };
    const covered = coverage(seven, placement);
    const data = rgba(covered.length, (i) => opaqueGrey(255 * (1 - covered[i])));
    const expected = input(encodePng(60, 80, data));
    for (const [colorType, bitDepth] of [
      [0, 8],
      [0, 16],
      [2, 8],
      [2, 16],
      [4, 8],
      [6, 16],
    ] as const) {
      expect(input(encodePng(60, 80, data, colorType, bitDepth))).toEqual(expected);
    }
  });

  it('refuses a file that is not a PNG, a damaged PNG and a blank picture, saying which', () => {
    const refusal = (bytes: Uint8Array) => {
      const result = mnistInputFromPng(bytes);
      return E.isLeft(result) ? result.left : undefined;
    };
    expect(refusal(new TextEncoder().encode('GIF89a…'))).toEqual({
      kind: 'not-png',
      message: 'not a PNG image (it does not start with the PNG signature)',
    });
    expect(refusal(new Uint8Array(0))?.kind).toBe('not-png');
    const covered = coverage(seven, { width: 40, height: 40, left: 5, top: 5, size: 30 });
    const png = encodePng(
      40,
      40,
      rgba(covered.length, (i) => opaqueGrey(255 * (1 - covered[i]))),
    );
    expect(refusal(png.subarray(0, png.length >> 1))).toMatchObject({
      kind: 'damaged-png',
      message: expect.stringMatching(/^a damaged PNG image \(.+\)$/),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        (level, width, height) => {
          expect(
            refusal(
              encodePng(
                width,
                height,
                rgba(width * height, () => opaqueGrey(level)),
              ),
            ),
          ).toEqual({
            kind: 'blank',
            message: 'the image shows nothing to classify (it is all one shade)',
          });
        },
      ),
      { numRuns: 20 },
    );
  });
});
