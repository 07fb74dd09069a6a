import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GrayImage } from '@axon/digit-image';
import { artStyleFor, imageArt, sideBySide, visibleWidth } from './terminal-art.js';

const imageArbitrary: fc.Arbitrary<GrayImage> = fc
  .record({ width: fc.integer({ min: 1, max: 28 }), height: fc.integer({ min: 1, max: 28 }) })
  .chain(({ width, height }) =>
    fc
      .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: width * height, maxLength: width * height })
      .map((pixels) => ({ width, height, pixels })),
  );

describe('imageArt', () => {
  it('draws ASCII and shades two columns per pixel, one line per row, darker pixels lighter characters', () => {
    fc.assert(
      fc.property(imageArbitrary, fc.constantFrom('ascii' as const, 'shades' as const), (image, style) => {
        const lines = imageArt(image, style);
        expect(lines).toHaveLength(image.height);
        for (const line of lines) expect(visibleWidth(line)).toBe(2 * image.width);
        if (style === 'ascii') expect(lines.join('')).toMatch(/^[ -~]*$/);
        const ramp = style === 'ascii' ? ' .:-=+*#%@' : ' ░▒▓█';
        for (let y = 0; y < image.height; y++) {
          for (let x = 0; x + 1 < image.width; x++) {
            const [a, b] = [image.pixels[y * image.width + x], image.pixels[y * image.width + x + 1]];
            const [ca, cb] = [[...lines[y]][2 * x], [...lines[y]][2 * x + 2]];
            if (a < b) expect(ramp.indexOf(ca)).toBeLessThanOrEqual(ramp.indexOf(cb));
          }
        }
      }),
    );
  });

  it('draws colour art as half blocks, two rows per line, with greys that follow the pixels', () => {
    fc.assert(
      fc.property(imageArbitrary, (image) => {
        const lines = imageArt(image, 'color');
        expect(lines).toHaveLength(Math.ceil(image.height / 2));
        lines.forEach((line, row) => {
          expect(visibleWidth(line)).toBe(image.width);
          expect(line.endsWith('\x1b[0m')).toBe(true);
          const cells = [...line.matchAll(/\x1b\[38;5;(\d+);48;5;(\d+)m▀/g)];
          expect(cells).toHaveLength(image.width);
          cells.forEach(([, top, bottom], x) => {
            const above = image.pixels[2 * row * image.width + x];
            const below = 2 * row + 1 < image.height ? image.pixels[(2 * row + 1) * image.width + x] : 0;
            expect(Number(top)).toBe(232 + Math.round(above * 23));
            expect(Number(bottom)).toBe(232 + Math.round(below * 23));
          });
        });
      }),
    );
  });

  it('shows black as blank and white as full', () => {
    expect(imageArt({ width: 2, height: 1, pixels: [0, 1] }, 'ascii')).toEqual(['  @@']);
    expect(imageArt({ width: 2, height: 1, pixels: [0, 1] }, 'shades')).toEqual(['  ██']);
  });
});

describe('artStyleFor', () => {
  it('uses colour on terminals, shades without colour, ASCII off terminals', () => {
    expect(artStyleFor(true, {})).toBe('color');
    expect(artStyleFor(true, { NO_COLOR: '1' })).toBe('shades');
    expect(artStyleFor(true, { NO_COLOR: '' })).toBe('color');
    expect(artStyleFor(true, { TERM: 'dumb' })).toBe('shades');
    expect(artStyleFor(false, {})).toBe('ascii');
  });
});

describe('sideBySide', () => {
  it('starts every right-hand line in the same column, whatever the colour codes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', '▀', '\x1b[38;5;240m', '\x1b[0m') }), { maxLength: 6 }),
        fc.array(fc.string({ minLength: 1, unit: 'grapheme-ascii' }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 4 }),
        (left, right, gap) => {
          const lines = sideBySide(left, right, gap);
          expect(lines).toHaveLength(Math.max(left.length, right.length));
          const column = Math.max(0, ...left.map(visibleWidth)) + gap;
          right.forEach((r, i) => {
            expect(lines[i].endsWith(r)).toBe(true);
            expect(visibleWidth(lines[i]) - visibleWidth(r)).toBe(column);
          });
        },
      ),
    );
  });
});
