import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { integrationPoints, integrationRules } from './integration-rule.js';

const integrate = (
  points: { alphas: readonly number[]; weights: readonly number[] },
  g: (alpha: number) => number,
): number => points.alphas.reduce((total, alpha, k) => total + points.weights[k] * g(alpha), 0);

describe('integration rules', () => {
  it('put their points in [0, 1] in order, with positive weights that sum to 1', () => {
    fc.assert(
      fc.property(fc.constantFrom(...integrationRules), fc.integer({ min: 1, max: 500 }), (rule, steps) => {
        const { alphas, weights } = integrationPoints(rule, steps);
        expect(alphas.length).toBe(rule === 'trapezoid' ? steps + 1 : steps);
        alphas.forEach((alpha, k) => {
          expect(alpha).toBeGreaterThanOrEqual(0);
          expect(alpha).toBeLessThanOrEqual(1);
          if (k > 0) expect(alpha).toBeGreaterThan(alphas[k - 1]);
        });
        weights.forEach((w) => expect(w).toBeGreaterThan(0));
        expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      }),
    );
  });

  it('the middle and trapezoid rules integrate straight lines exactly; the trapezoid rule is the mean of the left and right sums', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        (steps, a, b) => {
          const line = (alpha: number): number => a + b * alpha;
          const exact = a + b / 2;
          expect(integrate(integrationPoints('riemannMiddle', steps), line)).toBeCloseTo(exact, 10);
          expect(integrate(integrationPoints('trapezoid', steps), line)).toBeCloseTo(exact, 10);
          const square = (alpha: number): number => line(alpha) ** 2;
          const mean =
            (integrate(integrationPoints('riemannLeft', steps), square) +
              integrate(integrationPoints('riemannRight', steps), square)) /
            2;
          expect(integrate(integrationPoints('trapezoid', steps), square)).toBeCloseTo(mean, 10);
        },
      ),
    );
  });
});
