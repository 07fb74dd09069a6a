import { add, broadcastTo, expandDims, fullLike, mul, sub, tensor, type Tensor } from '@axon/tensor';
import { ensure } from '../error.js';
import { classScores, rowsOf, scoresInBatches, weightedGradients, type Span } from '../gradients/batched.js';
import type { ScoreFunction } from '../scores/score-function.js';
import { attributionSums, prepare, type Attribution, type AttributionOptions } from './attribution.js';
import { integrationPoints, integrationRules, type IntegrationRule } from './integration-rule.js';

/** Options of {@link integratedGradients}. */
export interface IntegratedGradientsOptions extends AttributionOptions {
  /**
   * The input that stands for "nothing": a number for every value, or a tensor that
   * broadcasts to the inputs (one sample's shape, or one per sample). 0 unless stated:
   * a black image.
   */
  readonly baseline?: number | Tensor;
  /** Intervals of the path; 50 unless stated. */
  readonly steps?: number;
  /** `'trapezoid'` unless stated. */
  readonly rule?: IntegrationRule;
}

/** What {@link integratedGradients} gives: the attributions and how well they add up. */
export interface IntegratedGradientsResult extends Attribution {
  /** The scores `[n, classes]` at the baseline. */
  readonly baselineScores: Tensor;
  /**
   * For each sample, the sum of its attributions minus the change of its class's
   * score from the baseline to the input, `Σ attributions − (f(x) − f(baseline))`.
   * Exact integration makes it 0 (completeness); what remains is the error of the
   * integration rule (and of float rounding), and shrinks as `steps` grows.
   */
  readonly completenessError: readonly number[];
}

/** The baseline as a tensor of the inputs' shape, dtype and backend. */
const baselineFor = (x: Tensor, baseline: number | Tensor): Tensor => {
  if (typeof baseline === 'number') return fullLike(x, baseline);
  const offset = x.rank - baseline.rank;
  ensure(
    offset >= 0 && baseline.dtype === x.dtype && baseline.shape.every((d, i) => d === 1 || d === x.shape[offset + i]),
    'integratedGradients',
    () =>
      `the baseline ${baseline.dtype}[${baseline.shape.join(',')}] does not broadcast to the inputs ${x.dtype}[${x.shape.join(',')}]`,
  );
  return broadcastTo(baseline, x.shape);
};

/**
 * Integrated Gradients (Sundararajan et al., 2017): each input value's difference from
 * the baseline times the average gradient of the explained class's score along the
 * straight path from the baseline to the input. The attributions add up to the
 * change of the score from baseline to input (completeness) up to the integration
 * error, which the result reports per sample; values equal to the baseline get 0.
 *
 * The points of the path go through the model together: for one image and 50 steps,
 * one forward and one backward pass over 51 inputs (`batchSize` rows at most per pass).
 *
 * @example
 * ```ts
 * const f = modelScores(model, params);
 * const { attributions, classes, completenessError } = integratedGradients(f, images, { steps: 64 });
 * ```
 */
export const integratedGradients = (
  f: ScoreFunction,
  x: Tensor,
  options: IntegratedGradientsOptions = {},
): IntegratedGradientsResult => {
  const method = 'integratedGradients';
  const steps = options.steps ?? 50;
  const rule = options.rule ?? 'trapezoid';
  ensure(Number.isInteger(steps) && steps > 0, method, () => `steps must be a positive integer, got ${steps}`);
  ensure(
    integrationRules.includes(rule),
    method,
    () => `rule must be one of ${integrationRules.join(', ')}, got ${rule}`,
  );
  const { scores, classes, classCount, batchSize } = prepare(method, f, x, options);
  const baseline = baselineFor(x, options.baseline ?? 0);
  const difference = sub(x, baseline);
  const { alphas, weights } = integrationPoints(rule, steps);
  const ones = x.shape.slice(1).map(() => 1);
  const alphasOf = ({ start, count }: Span): Tensor =>
    tensor(Float64Array.from(alphas.slice(start, start + count)), {
      dtype: x.dtype,
      backend: x.backend,
      shape: [count, 1, ...ones],
    });
  const averageGradient = weightedGradients({
    method,
    scores: f,
    x,
    classes,
    classCount,
    weights,
    views: (views, samples) =>
      add(expandDims(rowsOf(baseline, samples), 0), mul(alphasOf(views), expandDims(rowsOf(difference, samples), 0))),
    batchSize,
  });
  const attributions = mul(difference, averageGradient);
  const baselineScores = scoresInBatches(method, f, baseline, batchSize);
  const atInput = classScores(scores, classes);
  const atBaseline = classScores(baselineScores, classes);
  const completenessError = attributionSums(attributions).map((total, i) => total - (atInput[i] - atBaseline[i]));
  return { attributions, classes: Array.from(classes), scores, baselineScores, completenessError };
};
