import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyNormalization, tutorialNormalization } from './axon-metadata.js';

const pixels = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 50 });

describe('applyNormalization', () => {
  it("scales raw pixels to [0, 1] the tutorial's way", () => {
    fc.assert(
      fc.property(pixels, (raw) => {
        const scaled = applyNormalization(tutorialNormalization, raw);
        raw.forEach((v, i) => expect(scaled[i]).toBeCloseTo(v / 255, 6));
      }),
    );
  });

  it('standardizes raw pixels to mean 0 and standard deviation 1 when given their own mean and deviation', () => {
    fc.assert(
      fc.property(pixels.filter((raw) => raw.length > 1 && new Set(raw).size > 1), (raw) => {
        const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
        const std = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length);
        const out = Array.from(applyNormalization({ kind: 'standardize', mean, std }, raw));
        const outMean = out.reduce((a, b) => a + b, 0) / out.length;
        expect(outMean).toBeCloseTo(0, 5);
        expect(Math.sqrt(out.reduce((a, b) => a + (b - outMean) ** 2, 0) / out.length)).toBeCloseTo(1, 5);
      }),
    );
  });
});
