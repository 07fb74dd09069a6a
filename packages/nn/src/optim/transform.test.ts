import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key, sum, square, tensor, treeLeaves, uniform } from '@axon/tensor';
import { addDecayedWeights, clipByGlobalNorm, clipByValue, globalNorm, scaleByAdam, scaleByLearningRate, trace } from './transform.js';

const f64 = { dtype: 'float64' } as const;

describe('gradient transformations', () => {
  it('clipByValue clips each element', () => {
    const { updates } = clipByValue(1).update(tensor([-3, 0.5, 2], f64), {});
    expect(updates.toArray()).toEqual([-1, 0.5, 1]);
  });

  it('clipByGlobalNorm caps the norm of all leaves together and keeps their direction', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.double({ min: 0.1, max: 5, noNaN: true }), (seed, maxNorm) => {
        const grads = { a: uniform(key(seed), [3], { ...f64, minval: -3, maxval: 3 }), b: [uniform(key(seed + 1), [2, 2], { ...f64, minval: -3, maxval: 3 })] };
        const norm = globalNorm(grads).item();
        expect(norm).toBeCloseTo(Math.sqrt(treeLeaves(grads).reduce((t, g) => t + sum(square(g)).item(), 0)), 12);
        const { updates } = clipByGlobalNorm(maxNorm).update(grads, {});
        expect(globalNorm(updates).item()).toBeCloseTo(Math.min(norm, maxNorm), 10);
        const ratio = updates.a.values[0] / grads.a.values[0];
        treeLeaves(updates).forEach((u, i) => u.values.forEach((v, j) => expect(v).toBeCloseTo(treeLeaves(grads)[i].values[j] * ratio, 10)));
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
    const params = { w: tensor([[1, 2], [3, 4]]), b: tensor([0]) };
    const adam = scaleByAdam();
    const { updates, state } = adam.update(params, adam.init(params));
    expect(state.count).toBe(1);
    expect(updates.w.dtype).toBe('float32');
    expect(treeLeaves(state.mu).map((m) => m.shape)).toEqual([[2, 2], [1]]);
    // The first Adam step is ±1 per element, whatever the gradient's size.
    expect(Array.from(updates.w.values, (v) => Math.round(v * 1e5) / 1e5)).toEqual([1, 1, 1, 1]);
  });
});
