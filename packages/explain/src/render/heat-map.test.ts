import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributionScale, heatMap } from './heat-map.js';

describe('heatMap', () => {
  it('leaves pixels with no attribution dimmed grey, and saturates at the scale: red for, blue against', () => {
    const image = { width: 3, height: 1, pixels: [1, 0.5, 0] };
    const { data } = heatMap(image, [0, 2, -4], { scale: 2 });
    expect(Array.from(data)).toEqual([200, 200, 200, 255, 230, 40, 40, 255, 40, 110, 240, 255]);
  });

  it('blends in proportion to the magnitude, and every pixel is opaque', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })), {
          minLength: 1,
          maxLength: 30,
        }),
        (cells) => {
          const pixels = cells.map(([p]) => p);
          const attributions = cells.map(([, a]) => a);
          const { width, height, data } = heatMap({ width: cells.length, height: 1, pixels }, attributions, {
            scale: 3,
          });
          expect([width, height]).toEqual([cells.length, 1]);
          cells.forEach(([p, a], i) => {
            const t = Math.abs(a) / 3;
            const tint = a >= 0 ? 230 : 40;
            expect(data[i * 4]).toBeCloseTo(200 * p * (1 - t) + tint * t, -0.3);
            expect(data[i * 4 + 3]).toBe(255);
          });
        },
      ),
    );
  });

  it('refuses attributions that do not match the image', () => {
    expect(() => heatMap({ width: 2, height: 2, pixels: [0, 0, 0, 0] }, [1, 2, 3])).toThrow(
      'heatMap: a 2×2 image needs 4 pixels and attributions, got 4 and 3',
    );
  });
});

describe('attributionScale', () => {
  it('is a high quantile of the magnitudes, ignoring a few outliers, and never 0', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? i : -i) / 100);
    values[3] = 50;
    // Magnitudes 0 to 0.99 less 0.03, plus one outlier of 50: the 98% quantile is 0.99, not 50.
    expect(attributionScale(values)).toBeCloseTo(0.99, 12);
    expect(attributionScale([0, 0, 0])).toBe(1);
    expect(attributionScale([])).toBe(1);
  });
});
