import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layers } from '@axon/nn';
import { eye, grad, key, slice, sum, tensor, where, type Tensor } from '@axon/tensor';
import {
  gradientTimesInput,
  integratedGradients,
  integrationRules,
  modelScores,
  saliency,
  type IntegrationRule,
} from '../src/index.js';
import {
  buildCase,
  caseArb,
  maxDifference,
  maxMagnitude,
  smoothActivations,
  values64,
  type Case,
} from './support/models.js';

const ruleArb = fc.constantFrom(...integrationRules);

/** A baseline for the case: black (0), or random values of the inputs' shape. */
const baselineArb = fc.oneof(fc.constant<'black'>('black'), fc.integer({ min: 0, max: 2 ** 31 - 1 }));
const baselineOf = (c: Case, choice: 'black' | number): Tensor<'float64'> =>
  choice === 'black' ? tensor(new Float64Array(c.x.size), { shape: c.x.shape }) : values64(choice, c.x.shape, 0, 1);

/**
 * The total variation over [0, 1] of g(α) = ∇f_c(b + α(x − b)) · (x − b), the function
 * Integrated Gradients integrates, measured on a grid of `points` values of α. Any of
 * the rules with `m` intervals is within V/m of the integral: on each interval the rule
 * takes g at a point of it, which is within that interval's variation of every other.
 * The gradients come from `grad` directly, one sample at a time.
 */
const pathVariation = (
  c: Case,
  sample: number,
  classIndex: number,
  baseline: Tensor<'float64'>,
  points = 2049,
): number => {
  const [, features] = c.x.shape;
  const x = c.x.values.subarray(sample * features, (sample + 1) * features);
  const b = baseline.values.subarray(sample * features, (sample + 1) * features);
  const path = new Float64Array(points * features);
  for (let k = 0; k < points; k++)
    for (let j = 0; j < features; j++) path[k * features + j] = b[j] + (k / (points - 1)) * (x[j] - b[j]);
  const gradients = grad((p: Tensor) => sum(slice(c.f(p), [0, classIndex], [points, 1])))(
    tensor(path, { shape: [points, features] }),
  ).values;
  let variation = 0;
  let previous = 0;
  for (let k = 0; k < points; k++) {
    let g = 0;
    for (let j = 0; j < features; j++) g += gradients[k * features + j] * (x[j] - b[j]);
    if (k > 0) variation += Math.abs(g - previous);
    previous = g;
  }
  return variation;
};

describe('Integrated Gradients: the axioms, as properties (float64)', () => {
  it('completeness: Σ attributions − (f(x) − f(baseline)) is within V/steps, the bound every rule meets', () => {
    fc.assert(
      fc.property(
        caseArb(),
        baselineArb,
        ruleArb,
        fc.integer({ min: 1, max: 48 }),
        (c, baselineChoice, rule, steps) => {
          const baseline = baselineOf(c, baselineChoice);
          const ig = integratedGradients(c.f, c.x, { baseline, steps, rule });
          ig.completenessError.forEach((error, i) => {
            const change =
              ig.scores.values[i * c.classCount + ig.classes[i]] -
              ig.baselineScores.values[i * c.classCount + ig.classes[i]];
            const bound =
              (1.001 * pathVariation(c, i, ig.classes[i], baseline)) / steps + 1e-12 * (1 + Math.abs(change));
            expect(Math.abs(error)).toBeLessThanOrEqual(bound);
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('completeness error shrinks with steps: like 1/steps² for the middle and trapezoid rules on a smooth model, like 1/steps for the others', () => {
    const c = buildCase({
      features: 5,
      hidden: [
        { units: 6, activation: 'tanh' },
        { units: 4, activation: 'softplus' },
      ],
      classCount: 3,
      softmax: true,
      samples: 3,
      seed: 11,
    });
    const errorAt = (rule: IntegrationRule, steps: number): number =>
      Math.max(...integratedGradients(c.f, c.x, { rule, steps, target: 1 }).completenessError.map(Math.abs));
    for (const rule of ['riemannMiddle', 'trapezoid'] as const) {
      const ratio = errorAt(rule, 16) / errorAt(rule, 64);
      expect(ratio).toBeGreaterThan(12); // 16 in the limit
      expect(ratio).toBeLessThan(20);
    }
    for (const rule of ['riemannLeft', 'riemannRight'] as const) {
      const ratio = errorAt(rule, 16) / errorAt(rule, 64);
      expect(ratio).toBeGreaterThan(3); // 4 in the limit
      expect(ratio).toBeLessThan(5);
    }
    expect(errorAt('trapezoid', 64)).toBeLessThan(errorAt('riemannLeft', 64) / 10);
  });

  it('values equal to the baseline get exactly zero attribution, whatever the model', () => {
    fc.assert(
      fc.property(
        caseArb(),
        ruleArb,
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (c, rule, steps, seed) => {
          const mask = tensor(
            Uint8Array.from(values64(seed, c.x.shape, 0, 1).values, (v) => (v < 0.5 ? 1 : 0)),
            { shape: c.x.shape, dtype: 'bool' },
          );
          const baseline = where(mask, c.x, values64(seed + 1, c.x.shape, 0, 1));
          const { attributions } = integratedGradients(c.f, c.x, { baseline, steps, rule });
          mask.values.forEach((equal, i) => {
            if (equal === 1) expect(attributions.values[i] === 0).toBe(true);
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('linear models are explained exactly, with any rule and number of steps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        baselineArb,
        ruleArb,
        fc.integer({ min: 1, max: 8 }),
        (features, hidden, classCount, seed, baselineChoice, rule, steps) => {
          const model = layers.sequential([layers.dense(hidden), layers.dense(classCount)]);
          const { params } = model.init(key(seed), [features], { dtype: 'float64' });
          const f = modelScores(model, params);
          const c: Case = {
            description: 'linear',
            model,
            params,
            f,
            x: values64(seed + 1, [2, features], 0, 1),
            classCount,
          };
          const baseline = baselineOf(c, baselineChoice);
          const target = seed % classCount;
          // The weight of each feature, from forward passes only: f(e_j) − f(0) of an affine map.
          const atUnits = f(eye(features, features, { dtype: 'float64' })).values;
          const atZero = f(tensor(new Float64Array(features), { shape: [1, features] })).values;
          const weights = Array.from({ length: features }, (_, j) => atUnits[j * classCount + target] - atZero[target]);
          const expected = (difference: (i: number, j: number) => number): Tensor<'float64'> =>
            tensor(
              Float64Array.from(
                { length: c.x.size },
                (_, k) => difference(Math.floor(k / features), k % features) * weights[k % features],
              ),
              { shape: c.x.shape },
            );
          const tolerance = 1e-12 * (1 + maxMagnitude(expected(() => 1)));

          const ig = integratedGradients(f, c.x, { baseline, steps, rule, target });
          expect(
            maxDifference(
              ig.attributions,
              expected((i, j) => c.x.values[i * features + j] - baseline.values[i * features + j]),
            ),
          ).toBeLessThan(tolerance);
          ig.completenessError.forEach((error) => expect(Math.abs(error)).toBeLessThan(tolerance * features));
          expect(
            maxDifference(
              saliency(f, c.x, { target }).attributions,
              expected(() => 1),
            ),
          ).toBeLessThan(tolerance);
          expect(
            maxDifference(
              gradientTimesInput(f, c.x, { target }).attributions,
              expected((i, j) => c.x.values[i * features + j]),
            ),
          ).toBeLessThan(tolerance);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('smooth models: the trapezoid rule at 128 steps leaves almost nothing of the score change unexplained', () => {
    fc.assert(
      fc.property(caseArb(smoothActivations), (c) => {
        const ig = integratedGradients(c.f, c.x, { steps: 128 });
        ig.completenessError.forEach((error) => expect(Math.abs(error)).toBeLessThan(1e-4));
      }),
      { numRuns: 20 },
    );
  });
});
