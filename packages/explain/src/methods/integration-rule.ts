/**
 * How Integrated Gradients approximates its path integral with `steps` intervals:
 * a Riemann sum at each interval's left end, right end or middle, or the trapezoid
 * rule (both ends of every interval; `steps + 1` gradient evaluations). The left and
 * right sums converge like `1/steps`; the middle and trapezoid sums like `1/steps²`
 * where the model is smooth along the path.
 */
export type IntegrationRule = 'riemannLeft' | 'riemannRight' | 'riemannMiddle' | 'trapezoid';

/** The integration rules, for option parsers. */
export const integrationRules: readonly IntegrationRule[] = [
  'riemannLeft',
  'riemannRight',
  'riemannMiddle',
  'trapezoid',
];

/** Where on the path `[0, 1]` to take gradients, and the weight of each; the weights sum to 1. */
export interface IntegrationPoints {
  readonly alphas: readonly number[];
  readonly weights: readonly number[];
}

/**
 * The points and weights of a rule over `[0, 1]` with `steps` intervals.
 *
 * @example
 * ```ts
 * integrationPoints('trapezoid', 2);     // { alphas: [0, 0.5, 1], weights: [0.25, 0.5, 0.25] }
 * integrationPoints('riemannMiddle', 2); // { alphas: [0.25, 0.75], weights: [0.5, 0.5] }
 * ```
 */
export const integrationPoints = (rule: IntegrationRule, steps: number): IntegrationPoints => {
  const at = (count: number, alpha: (k: number) => number, weight: (k: number) => number): IntegrationPoints => ({
    alphas: Array.from({ length: count }, (_, k) => alpha(k)),
    weights: Array.from({ length: count }, (_, k) => weight(k)),
  });
  const even = (): number => 1 / steps;
  switch (rule) {
    case 'riemannLeft':
      return at(steps, (k) => k / steps, even);
    case 'riemannRight':
      return at(steps, (k) => (k + 1) / steps, even);
    case 'riemannMiddle':
      return at(steps, (k) => (k + 0.5) / steps, even);
    case 'trapezoid':
      return at(
        steps + 1,
        (k) => k / steps,
        (k) => (k === 0 || k === steps ? 0.5 : 1) / steps,
      );
  }
};
