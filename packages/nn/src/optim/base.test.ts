import { describe, expect, it } from 'vitest';
import { mul, tensor, treeMap } from '@axon/tensor';
import { applyUpdates, chain, stateless, type GradientTransformation } from './base.js';

const f64 = { dtype: 'float64' } as const;

/** Counts its updates and multiplies by `factor`. */
const counting = (factor: number): GradientTransformation<{ readonly calls: number }> => ({
  init: () => ({ calls: 0 }),
  update: (grads, state) => ({ updates: treeMap(grads, (g) => mul(g, factor)), state: { calls: state.calls + 1 } }),
});

describe('chain and applyUpdates', () => {
  const params = { w: tensor([1, 2], f64), b: [tensor(3, f64)] };

  it('runs transformations in order, each on the previous updates, keeping a tuple of states', () => {
    const optimizer = chain(
      counting(2),
      stateless((g) => treeMap(g, (x) => mul(x, x))),
      counting(-1),
    );
    const state = optimizer.init(params);
    expect(state).toEqual([{ calls: 0 }, {}, { calls: 0 }]);
    const { updates, state: next } = optimizer.update(params, state, params);
    expect(updates.w.toArray()).toEqual([-4, -16]);
    expect(updates.b[0].item()).toBe(-36);
    expect(next).toEqual([{ calls: 1 }, {}, { calls: 1 }]);
    expect(state).toEqual([{ calls: 0 }, {}, { calls: 0 }]);
  });

  it('an empty chain is the identity', () => {
    const { updates } = chain().update(params, chain().init(params));
    expect(updates).toBe(params);
  });

  it('adds updates to params leaf by leaf', () => {
    const next = applyUpdates(params, { w: tensor([0.5, -1], f64), b: [tensor(-3, f64)] });
    expect(next.w.toArray()).toEqual([1.5, 1]);
    expect(next.b[0].item()).toBe(0);
    expect(() => applyUpdates(params, { w: tensor([1, 1], f64) } as unknown as typeof params)).toThrow('trees differ');
  });
});
