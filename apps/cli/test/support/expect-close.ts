import { expect } from 'vitest';

/** How far apart two computations of the same float32 value may be: `absolute + relative × |expected|`. */
export interface Tolerance {
  readonly absolute: number;
  readonly relative: number;
}

/**
 * Room for float32 rounding, summation order and a float64 reference to disagree over
 * networks of a few hundred units.
 */
export const float32Tolerance: Tolerance = { absolute: 1e-4, relative: 1e-4 };

/**
 * Expects two equally long lists of numbers to agree element by element within `tolerance`.
 *
 * @example
 * expectAllClose(probabilities, referenceForward(model, sample));
 */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance = float32Tolerance,
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const allowed = tolerance.absolute + tolerance.relative * Math.abs(expected[i]);
    expect(Math.abs(actual[i] - expected[i]), `element ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(
      allowed,
    );
  }
}
