import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { rawPng, type RawPngHeader } from '../../test/support/png-fixtures.js';
import { decodePng, maxImagePixels } from './png.js';
import { pixelDataBytes } from './png-chunks.js';

/** Bit depths PNG allows for each colour type. */
const depths: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
const channels: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

const headerArbitrary = (colorTypes: readonly number[], maxSide = 40): fc.Arbitrary<RawPngHeader> =>
  fc
    .record({
      width: fc.integer({ min: 1, max: maxSide }),
      height: fc.integer({ min: 1, max: maxSide }),
      colorType: fc.constantFrom(...colorTypes),
      interlaced: fc.boolean(),
      pick: fc.nat(),
    })
    .map(({ pick, ...rest }) => ({ ...rest, bitDepth: depths[rest.colorType][pick % depths[rest.colorType].length] }));

/** Adam7's pass (1–7) of each pixel, from the pattern in the PNG specification. */
const adam7Pattern = ['16462646', '77777777', '56565656', '77777777', '36463646', '77777777', '56565656', '77777777'];

/** Pixel data bytes counted pixel by pixel: each non-empty row of each pass is a filter byte and its packed pixels. */
function countedPixelDataBytes({ width, height, bitDepth, colorType, interlaced }: RawPngHeader): number {
  const bitsPerPixel = bitDepth * channels[colorType];
  const passOf = (x: number, y: number): number => (interlaced ? Number(adam7Pattern[y % 8][x % 8]) : 1);
  let total = 0;
  for (let pass = 1; pass <= 7; pass++) {
    for (let y = 0; y < height; y++) {
      let pixels = 0;
      for (let x = 0; x < width; x++) if (passOf(x, y) === pass) pixels++;
      if (pixels > 0) total += 1 + Math.ceil((pixels * bitsPerPixel) / 8);
    }
  }
  return total;
}

const refusal = (png: Uint8Array) => {
  const result = decodePng(png);
  return E.isLeft(result) ? result.left : undefined;
};

describe('decodePng', () => {
  it('refuses an image whose header claims more than the pixel limit, before decoding anything', () => {
    for (const side of [10000, 20000]) {
      const bomb = rawPng(
        { width: side, height: side, bitDepth: 8, colorType: 6, interlaced: false },
        deflateSync(new Uint8Array(0)),
      );
      expect(bomb.length).toBeLessThan(100);
      expect(refusal(bomb)).toEqual({
        kind: 'too-large',
        message: `the image is ${side} × ${side} pixels, more than the 16,777,216 (4096 × 4096) axon reads; scale it down first`,
      });
    }
    const header = { bitDepth: 8, colorType: 0, interlaced: false };
    expect(refusal(rawPng({ ...header, width: 4097, height: 4096 }, deflateSync(new Uint8Array(0))))?.kind).toBe(
      'too-large',
    );
    expect(refusal(rawPng({ ...header, width: 1, height: maxImagePixels }, deflateSync(new Uint8Array(0))))?.kind).toBe(
      'damaged-png',
    );
  });

  it('knows how many bytes of pixel data every colour type, bit depth and interlacing needs', () => {
    fc.assert(
      fc.property(headerArbitrary([0, 2, 3, 4, 6]), (header) => {
        expect(pixelDataBytes(header)).toBe(countedPixelDataBytes(header));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes complete pixel data and calls pixel data cut short a damaged image, saying how short', () => {
    fc.assert(
      fc.property(
        headerArbitrary([0, 2, 4, 6]),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (header, kept) => {
          // All zeros: filter type 0 on every row, black pixels.
          const raw = new Uint8Array(pixelDataBytes(header));
          const decoded = decodePng(rawPng(header, deflateSync(raw)));
          expect(E.isRight(decoded) && [decoded.right.width, decoded.right.height]).toEqual([
            header.width,
            header.height,
          ]);
          const cut = Math.floor(kept * raw.length);
          expect(refusal(rawPng(header, deflateSync(raw.subarray(0, cut))))).toEqual({
            kind: 'damaged-png',
            message: `a damaged PNG image (its pixel data stops after ${cut.toLocaleString('en-US')} of ${raw.length.toLocaleString('en-US')} bytes)`,
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('calls a compressed stream cut short, or a file cut short, a damaged image', () => {
    const header = { width: 30, height: 20, bitDepth: 8, colorType: 2, interlaced: false };
    const compressed = deflateSync(
      Uint8Array.from({ length: pixelDataBytes(header) }, (_, i) => (i % 91 === 0 ? 0 : i % 251)),
    );
    expect(refusal(rawPng(header, compressed.subarray(0, compressed.length >> 1)))).toMatchObject({
      kind: 'damaged-png',
      message: expect.stringMatching(/^a damaged PNG image \(its pixel data stops after \d+ of 1,820 bytes\)$/),
    });
    const whole = rawPng(header, compressed);
    for (const length of [8, 20, 40, whole.length - 4]) {
      expect(refusal(whole.subarray(0, length))).toMatchObject({
        kind: 'damaged-png',
        message: expect.stringMatching(/^a damaged PNG image \(the file ends /),
      });
    }
  });
});
