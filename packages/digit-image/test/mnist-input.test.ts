import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { mnistInputFromGray, mnistInputFromRgba, toGrayscale, type RgbaImage } from '../src/index.js';
import { coverage, one, opaqueGrey, rgba, seven, zero, type Placement, type Shape } from '../src/testing/index.js';

const input = (image: RgbaImage): Float32Array => {
  const result = mnistInputFromRgba(image);
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

/**
 * The shape in light ink on a dark background, or the exact negative: dark ink on a
 * light background.
 */
function drawn(
  shape: Shape,
  placement: Placement,
  ink: 'light' | 'dark',
  [background, foreground] = [10, 240],
): RgbaImage {
  const covered = coverage(shape, placement);
  const light = (i: number): number => Math.round(background + (foreground - background) * covered[i]);
  const data = rgba(covered.length, (i) => opaqueGrey(ink === 'light' ? light(i) : 255 - light(i)));
  return { width: placement.width, height: placement.height, data };
}

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number =>
  Array.from(a).reduce((max, v, i) => Math.max(max, Math.abs(v - b[i])), 0);
const meanDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number =>
  Array.from(a).reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let [dot, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) [dot, aa, bb] = [dot + a[i] * b[i], aa + a[i] ** 2, bb + b[i] ** 2];
  return dot / Math.sqrt(aa * bb);
};

const shapes = { seven, zero, one };
const shapeArbitrary = fc.constantFrom(...(Object.keys(shapes) as (keyof typeof shapes)[]));
/** A canvas with the shape somewhere inside, away from the border. */
const placementArbitrary: fc.Arbitrary<Placement> = fc
  .record({
    size: fc.integer({ min: 28, max: 100 }),
    marginX: fc.integer({ min: 2, max: 30 }),
    marginY: fc.integer({ min: 2, max: 30 }),
    shiftX: fc.double({ min: 0, max: 1, noNaN: true }),
    shiftY: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ size, marginX, marginY, shiftX, shiftY }) => ({
    width: size + 2 * marginX,
    height: size + 2 * marginY,
    left: 1 + shiftX * (2 * marginX - 2),
    top: 1 + shiftY * (2 * marginY - 2),
    size,
  }));

/** The centre of mass of a 28×28 image, in pixel units (pixel centres at i + 0.5). */
function centreOfMass(pixels: ArrayLike<number>): [number, number] {
  let [mass, x, y] = [0, 0, 0];
  for (let i = 0; i < 784; i++) {
    mass += pixels[i];
    x += pixels[i] * ((i % 28) + 0.5);
    y += pixels[i] * (Math.floor(i / 28) + 0.5);
  }
  return [x / mass, y / mass];
}

/** The real MNIST test images, at `../shared/data/mnist` from the repository root, when present. */
const realTestImages = fileURLToPath(
  new URL('../../../../shared/data/mnist/t10k-images-idx3-ubyte.gz', import.meta.url),
);
const realSkipNote = existsSync(realTestImages) ? '' : ` (skipped: no real MNIST at ${realTestImages})`;

describe('mnistInputFromRgba', () => {
  it('gives 784 values in [0, 1], the centre of mass on pixel 14 as in MNIST, the digit fitting a 20-pixel box', () => {
    fc.assert(
      fc.property(shapeArbitrary, placementArbitrary, (name, placement) => {
        const pixels = input(drawn(shapes[name], placement, 'dark'));
        expect(pixels).toHaveLength(784);
        for (const v of pixels) expect(v >= 0 && v <= 1).toBe(true);
        const [cx, cy] = centreOfMass(pixels);
        expect(Math.abs(cx - 14.5)).toBeLessThan(0.25);
        expect(Math.abs(cy - 14.5)).toBeLessThan(0.25);
        const inked = [...pixels.keys()].filter((i) => pixels[i] > 0.05);
        const spanX = Math.max(...inked.map((i) => i % 28)) - Math.min(...inked.map((i) => i % 28)) + 1;
        const spanY =
          Math.max(...inked.map((i) => Math.floor(i / 28))) - Math.min(...inked.map((i) => Math.floor(i / 28))) + 1;
        expect(Math.max(spanX, spanY)).toBeGreaterThanOrEqual(19);
        expect(Math.max(spanX, spanY)).toBeLessThanOrEqual(21);
      }),
      { numRuns: 40 },
    );
  });

  it('gives the same result for a light digit on dark and a dark digit on light', () => {
    fc.assert(
      fc.property(shapeArbitrary, placementArbitrary, (name, placement) => {
        expect(
          maxDifference(input(drawn(shapes[name], placement, 'light')), input(drawn(shapes[name], placement, 'dark'))),
        ).toBeLessThan(1e-6);
      }),
      { numRuns: 30 },
    );
  });

  it('gives nearly the same result whatever the contrast of the picture', () => {
    const levels = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 140, max: 255 }));
    fc.assert(
      fc.property(
        shapeArbitrary,
        placementArbitrary,
        levels,
        fc.constantFrom('light' as const, 'dark' as const),
        (name, placement, contrast, ink) => {
          const reference = input(drawn(shapes[name], placement, 'light', [0, 255]));
          expect(maxDifference(input(drawn(shapes[name], placement, ink, contrast)), reference)).toBeLessThan(0.05);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('gives close results whatever the size and position of the picture', () => {
    const reference = Object.fromEntries(
      Object.entries(shapes).map(([name, shape]) => [
        name,
        input(drawn(shape, { width: 240, height: 240, left: 20, top: 20, size: 200 }, 'light')),
      ]),
    );
    fc.assert(
      fc.property(shapeArbitrary, placementArbitrary, (name, placement) => {
        expect(meanDifference(input(drawn(shapes[name], placement, 'light')), reference[name])).toBeLessThan(0.04);
      }),
      { numRuns: 30 },
    );
  });

  it('reads a digit drawn on a transparent canvas, in dark or light ink, as if on a contrasting background', () => {
    const placement = { width: 64, height: 64, left: 8, top: 8, size: 48 };
    const covered = coverage(zero, placement);
    const onWhite = input(drawn(zero, placement, 'dark'));
    for (const level of [0, 255]) {
      const transparent = {
        width: 64,
        height: 64,
        data: rgba(covered.length, (i) => [level, level, level, Math.round(255 * covered[i])]),
      };
      expect(maxDifference(input(transparent), onWhite)).toBeLessThan(0.02);
    }
  });

  it('is mnistInputFromGray after toGrayscale', () => {
    fc.assert(
      fc.property(shapeArbitrary, placementArbitrary, (name, placement) => {
        const picture = drawn(shapes[name], placement, 'dark');
        expect(mnistInputFromGray(toGrayscale(picture))).toEqual(mnistInputFromRgba(picture));
      }),
      { numRuns: 10 },
    );
  });

  it.skipIf(!existsSync(realTestImages))(
    `reproduces real MNIST digits given as enlarged, inverted pictures${realSkipNote}`,
    () => {
      const idx = gunzipSync(readFileSync(realTestImages));
      for (let n = 0; n < 20; n++) {
        const digit = idx.subarray(16 + 784 * n, 16 + 784 * (n + 1));
        // Three times larger, dark ink on white, with a border: how a user might draw it.
        const [side, border] = [28 * 3, 12];
        const canvas = side + 2 * border;
        const data = rgba(canvas * canvas, (i) => {
          const [x, y] = [(i % canvas) - border, Math.floor(i / canvas) - border];
          const inside = x >= 0 && y >= 0 && x < side && y < side;
          return opaqueGrey(255 - (inside ? digit[Math.floor(y / 3) * 28 + Math.floor(x / 3)] : 0));
        });
        const original = Float32Array.from(digit, (v) => v / 255);
        const prepared = input({ width: canvas, height: canvas, data });
        expect(meanDifference(prepared, original)).toBeLessThan(0.05);
        expect(cosine(prepared, original)).toBeGreaterThan(0.9);
      }
    },
  );

  it('refuses a blank picture, saying so', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        (level, width, height) => {
          expect(mnistInputFromRgba({ width, height, data: rgba(width * height, () => opaqueGrey(level)) })).toEqual(
            E.left({ kind: 'blank', message: 'the image shows nothing to classify (it is all one shade)' }),
          );
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('toGrayscale', () => {
  it('is BT.601 luma for opaque pixels and keeps the size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.uint8Array({ minLength: 192, maxLength: 192 }),
        (width, height, bytes) => {
          const data = rgba(width * height, (i) => [bytes[3 * i], bytes[3 * i + 1], bytes[3 * i + 2], 255]);
          const grey = toGrayscale({ width, height, data });
          expect([grey.width, grey.height, grey.pixels.length]).toEqual([width, height, width * height]);
          grey.pixels.forEach((v, i) =>
            expect(v).toBeCloseTo((0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2]) / 255, 12),
          );
        },
      ),
    );
  });
});
