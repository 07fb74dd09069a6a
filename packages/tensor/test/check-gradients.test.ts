import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { assertGradients, checkGradients } from '@axon/tensor/testing';
import { detach, record } from '../src/autodiff/record.js';
import { unbroadcast } from '../src/autodiff/unbroadcast.js';
import { seedArb, shapeArb, values64, weighted } from './arbitraries.js';

// Deliberately broken copies of ops, each wrong in a way only one of the checker's
// rules can see.

/** `add` whose gradient forgets to undo broadcasting: right values, wrong shape. */
const addWithoutUnbroadcast = (a: T.Tensor, b: T.Tensor): T.Tensor =>
  record(T.add(detach(a), detach(b)), [a, b], (g) => [unbroadcast(g, a.shape), g]);

/** A float64 → float32 cast whose gradient stays float32: values within float32 rounding, wrong dtype. */
const castWithoutCastBack = (x: T.Tensor): T.Tensor => record(T.cast(detach(x), 'float32'), [x], (g) => [g]);

/** `square` whose gradient is off by 1e-4 relative. */
const squareSlightlyOff = (x: T.Tensor): T.Tensor =>
  record(T.square(detach(x)), [x], (g, _n, [v]) => [T.mul(g, T.mul(v, 2.0002))]);

describe('checkGradients', () => {
  it('passes exact gradients and compares every element', () => {
    fc.assert(
      fc.property(shapeArb(), shapeArb(), seedArb, (sa, sb, seed) => {
        const params = { a: values64(seed, sa), b: [values64(seed + 1, sb)] };
        const report = checkGradients(
          (p: typeof params) => T.add(weighted(T.tanh(p.a), seed), weighted(T.exp(p.b[0]), seed + 1)),
          params,
        );
        expect(report.ok).toBe(true);
        expect(report.checked).toBe(T.sizeOf(sa) + T.sizeOf(sb));
      }),
      { numRuns: 20 },
    );
  });

  it('fails when there is nothing to check', () => {
    const constant = () => T.scalar(1, { dtype: 'float64' });
    const empties: T.TensorTree[] = [{}, [], { layers: [{}, []] }, T.zeros([0], { dtype: 'float64' })];
    for (const empty of empties) {
      const report = checkGradients(constant, empty);
      expect(report.ok).toBe(false);
      expect(report.problem).toMatch(/nothing to check/);
      expect(() => assertGradients(constant, empty)).toThrow(/nothing to check/);
    }
  });

  it('catches a gradient of the wrong shape, even when its values are right', () => {
    const params = { a: values64(1, [1, 4]), b: values64(2, [4]) };
    const f = (p: typeof params) => weighted(addWithoutUnbroadcast(p.a, p.b), 3);
    const report = checkGradients(f, params);
    expect(report.ok).toBe(false);
    expect(report.problem).toBe('the analytic gradient of b is float64[1,4], but the parameter is float64[4]');
    expect(() => assertGradients((p: typeof params) => weighted(T.add(p.a, p.b), 3), params)).not.toThrow();
  });

  it('catches a gradient of the wrong dtype, even when its values agree to float32 precision', () => {
    const x = values64(4, [3, 2]);
    const f = (v: T.Tensor) => weighted(T.cast(T.mul(castWithoutCastBack(v), 3), 'float64'), 5);
    const report = checkGradients(f, x, { epsilon: 1e-2, rtol: 1e-4, atol: 1e-6 });
    expect(report.problem).toBe('the analytic gradient of argument is float32[3,2], but the parameter is float64[3,2]');
    expect(() =>
      assertGradients((v: T.Tensor) => weighted(T.cast(T.mul(T.cast(v, 'float32'), 3), 'float64'), 5), x, {
        epsilon: 1e-2,
        rtol: 1e-4,
        atol: 1e-6,
      }),
    ).not.toThrow();
  });

  it('catches a gradient that is off by 1e-4 relative', () => {
    fc.assert(
      fc.property(shapeArb(3, 4), seedArb, (shape, seed) => {
        const report = checkGradients(
          (v: T.Tensor) => weighted(squareSlightlyOff(v), seed),
          values64(seed, shape, 0.5, 2),
        );
        expect(report.ok).toBe(false);
        expect(report.worst?.ratio).toBeGreaterThan(1);
      }),
      { numRuns: 10 },
    );
  });
});
