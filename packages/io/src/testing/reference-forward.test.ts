import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erf } from './reference-forward.js';

describe('erf (test reference)', () => {
  it('matches known values', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 13);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 13);
    expect(erf(2.9)).toBeCloseTo(0.9999589021219005, 13);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 13);
  });

  it('is odd and increasing', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -6, max: 6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1, noNaN: true }),
        (x, step) => {
          expect(erf(-x)).toBeCloseTo(-erf(x), 14);
          expect(erf(x + step)).toBeGreaterThanOrEqual(erf(x));
        },
      ),
    );
  });
});
