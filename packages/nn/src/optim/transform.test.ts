import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key, sum, square, tensor, treeLeaves, uniform } from '@axon/tensor';
import {
  addDecayedWeights,
  clipByGlobalNorm,
  clipByValue,
  globalNorm,
  scaleByAdam,
  scaleByLearningRate,
  trace,
  type AdamEpsilonPlacement,
} from './transform.js';

const f64 = { dtype: 'float64' } as const;

describe('gradient transformations', () => {
  it('clipByValue clips each element', () => {
    const { updates } = clipByValue(1).update(tensor([-3, 0.5, 2], f64), {});
    expect(updates.toArray()).toEqual([-1, 0.5, 1]);
  });

  it('clipByGlobalNorm caps the norm of all leaves together and keeps their direction', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.double({ min: 0.1, max: 5, noNaN: true }), (seed, maxNorm) => {
        const grads = {
          a: uniform(key(seed), [3], { ...f64, minval: -3, maxval: 3 }),
          b: [uniform(key(seed + 1), [2, 2], { ...f64, minval: -3, maxval: 3 })],
        };
        const norm = globalNorm(grads).item();
        expect(norm).toBeCloseTo(Math.sqrt(treeLeaves(grads).reduce((t, g) => t + sum(square(g)).item(), 0)), 12);
        const { updates } = clipByGlobalNorm(maxNorm).update(grads, {});
        expect(globalNorm(updates).item()).toBeCloseTo(Math.min(norm, maxNorm), 10);
        const ratio = updates.a.values[0] / grads.a.values[0];
        treeLeaves(updates).forEach((u, i) =>
          u.values.forEach((v, j) => expect(v).toBeCloseTo(treeLeaves(grads)[i].values[j] * ratio, 10)),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('addDecayedWeights adds rate·params and needs them', () => {
    const { updates } = addDecayedWeights(0.1).update(tensor([1, 1], f64), {}, tensor([2, -4], f64));
    expect(updates.values[0]).toBeCloseTo(1.2, 15);
    expect(updates.values[1]).toBeCloseTo(0.6, 15);
    expect(() => addDecayedWeights(0.1).update(tensor([1], f64), {})).toThrow('addDecayedWeights: needs the params');
  });

  it('trace accumulates momentum', () => {
    const momentum = trace({ decay: 0.5 });
    const first = momentum.update(tensor([1], f64), momentum.init(tensor([0], f64)));
    const second = momentum.update(tensor([1], f64), first.state);
    expect(second.updates.item()).toBe(1.5);
  });

  it('scaleByLearningRate evaluates a schedule at the update count', () => {
    const seen: number[] = [];
    const lr = scaleByLearningRate((step) => {
      seen.push(step);
      return 2 ** -step;
    });
    let state = lr.init(tensor([0], f64));
    const steps = [0, 1, 2].map(() => {
      const result = lr.update(tensor([1], f64), state);
      state = result.state;
      return result.updates.item();
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(steps).toEqual([-1, -0.5, -0.25]);
  });

  it('scaleByAdam keeps moments shaped like the params, and float32 stays float32', () => {
    const params = {
      w: tensor([
        [1, 2],
        [3, 4],
      ]),
      b: tensor([0]),
    };
    const adam = scaleByAdam();
    const { updates, state } = adam.update(params, adam.init(params));
    expect(state.count).toBe(1);
    expect(updates.w.dtype).toBe('float32');
    expect(treeLeaves(state.mu).map((m) => m.shape)).toEqual([[2, 2], [1]]);
    // The first Adam step is ±1 per element, whatever the gradient's size.
    expect(Array.from(updates.w.values, (v) => Math.round(v * 1e5) / 1e5)).toEqual([1, 1, 1, 1]);
  });
});

/** Adam's directions for a sequence of gradients, by each framework's formula, in plain float64 numbers. */
const adamReference = (
  placement: AdamEpsilonPlacement,
  gradients: readonly number[][],
  beta1: number,
  beta2: number,
  epsilon: number,
): number[][] => {
  let m = gradients[0].map(() => 0);
  let v = gradients[0].map(() => 0);
  return gradients.map((g, step) => {
    const t = step + 1;
    m = m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]);
    v = v.map((vi, i) => beta2 * vi + (1 - beta2) * g[i] * g[i]);
    return placement === 'keras'
      ? // Keras: alpha = sqrt(1 - beta2^t) / (1 - beta1^t); m * alpha / (sqrt(v) + epsilon)
        m.map((mi, i) => ((Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)) * mi) / (Math.sqrt(v[i]) + epsilon))
      : // PyTorch: mhat / (sqrt(vhat) + epsilon)
        m.map((mi, i) => mi / (1 - beta1 ** t) / (Math.sqrt(v[i] / (1 - beta2 ** t)) + epsilon));
  });
};

describe('scaleByAdam against each placement of ε, in float64', () => {
  const directions = (
    placement: AdamEpsilonPlacement,
    gradients: readonly number[][],
    options: { beta1: number; beta2: number; epsilon: number },
  ): number[][] => {
    const adam = scaleByAdam({ ...options, epsilonPlacement: placement });
    let state = adam.init(tensor(gradients[0], f64));
    return gradients.map((g) => {
      const { updates, state: next } = adam.update(tensor(g, f64), state);
      state = next;
      return Array.from(updates.values);
    });
  };

  it.each<AdamEpsilonPlacement>(['keras', 'pytorch'])(
    '%s: the first five updates of random gradients, betas and ε',
    (placement) => {
      fc.assert(
        fc.property(
          fc.array(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 3, maxLength: 3 }), {
            minLength: 5,
            maxLength: 5,
          }),
          fc.double({ min: 0.5, max: 0.99, noNaN: true }),
          fc.double({ min: 0.9, max: 0.9999, noNaN: true }),
          fc.double({ min: 1e-10, max: 1e-3, noNaN: true }),
          (gradients, beta1, beta2, epsilon) => {
            const actual = directions(placement, gradients, { beta1, beta2, epsilon });
            const expected = adamReference(placement, gradients, beta1, beta2, epsilon);
            actual.forEach((row, t) =>
              row.forEach((d, i) =>
                expect(Math.abs(d - expected[t][i])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(expected[t][i]))),
              ),
            );
          },
        ),
        { numRuns: 50 },
      );
    },
  );

  it('the placements differ about 30-fold on the first step of a gradient near ε, and agree on large ones', () => {
    const options = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const [keras] = directions('keras', [[1e-8, 1]], options);
    const [pytorch] = directions('pytorch', [[1e-8, 1]], options);
    expect(pytorch[0] / keras[0]).toBeGreaterThan(25);
    expect(pytorch[0] / keras[0]).toBeLessThan(35);
    expect(pytorch[1] / keras[1]).toBeCloseTo(1, 5);
  });

  it("defaults: Keras's placement with ε 1e-7; PyTorch's with ε 1e-8", () => {
    const g = [[1e-8]];
    const keras = directions('keras', g, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 })[0][0];
    const pytorch = directions('pytorch', g, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 })[0][0];
    const run = (adam: ReturnType<typeof scaleByAdam>): number =>
      adam.update(tensor(g[0], f64), adam.init(tensor(g[0], f64))).updates.item();
    expect(run(scaleByAdam())).toBe(keras);
    expect(run(scaleByAdam({ epsilonPlacement: 'pytorch' }))).toBe(pytorch);
  });
});
