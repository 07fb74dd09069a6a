import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exp,
  key,
  log,
  logSoftmax,
  logSumExp,
  normal,
  softmax,
  sparseSoftmaxCrossEntropy,
  sum,
  tensor,
  uniform,
} from '@axon/tensor';
import { seedArb } from './arbitraries.js';

const rowsCols = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 12 }));

describe('softmax family', () => {
  it('rows sum to 1 and stay finite for inputs of ±1e4', () => {
    fc.assert(
      fc.property(rowsCols, seedArb, fc.constantFrom('float32' as const, 'float64' as const), ([r, c], seed, dtype) => {
        const x = uniform(key(seed), [r, c], { dtype, minval: -1e4, maxval: 1e4 });
        const y = softmax(x);
        expect(y.values.every(Number.isFinite)).toBe(true);
        sum(y, 1).values.forEach((s) => expect(s).toBeCloseTo(1, 5));
        expect(logSoftmax(x).values.every(Number.isFinite)).toBe(true);
      }),
    );
  });

  it('logSoftmax equals log(softmax) wherever both are finite', () => {
    fc.assert(
      fc.property(rowsCols, seedArb, ([r, c], seed) => {
        const x = normal(key(seed), [r, c], { dtype: 'float64', stddev: 5 });
        const direct = logSoftmax(x).values;
        const composed = log(softmax(x)).values;
        composed.forEach((v, i) => {
          if (Number.isFinite(v)) expect(Math.abs(direct[i] - v)).toBeLessThan(1e-12 * Math.max(1, Math.abs(v)));
        });
      }),
    );
  });

  it('logSumExp equals log(sum(exp)) on moderate inputs and stays finite on huge ones', () => {
    fc.assert(
      fc.property(rowsCols, seedArb, ([r, c], seed) => {
        const x = normal(key(seed), [r, c], { dtype: 'float64' });
        const lse = logSumExp(x, 1).values;
        const direct = log(sum(exp(x), 1)).values;
        lse.forEach((v, i) => expect(v).toBeCloseTo(direct[i], 12));
      }),
    );
    expect(logSumExp(tensor([1e4, 1e4], { dtype: 'float64' })).item()).toBeCloseTo(1e4 + Math.log(2), 9);
    expect(logSumExp(tensor([-Infinity, -Infinity], { dtype: 'float64' })).item()).toBe(-Infinity);
  });

  it('fused sparse cross-entropy equals -logSoftmax at the label, and is finite where softmax rounds to 0', () => {
    fc.assert(
      fc.property(rowsCols, seedArb, ([r, c], seed) => {
        const x = normal(key(seed), [r, c], { dtype: 'float64', stddev: 3 });
        const labels = tensor(
          Array.from({ length: r }, (_, i) => (i * 7 + seed) % c),
          { dtype: 'int32' },
        );
        const loss = sparseSoftmaxCrossEntropy(x, labels).values;
        const ls = logSoftmax(x).values;
        loss.forEach((v, i) => expect(v).toBeCloseTo(-ls[i * c + labels.values[i]], 12));
      }),
    );
    const extreme = sparseSoftmaxCrossEntropy(tensor([[1e4, -1e4]]), tensor([1], { dtype: 'int32' }));
    expect(extreme.item()).toBe(2e4);
  });

  it('refuses labels outside the classes', () => {
    expect(() => sparseSoftmaxCrossEntropy(tensor([[0, 1]]), tensor([2], { dtype: 'int32' }))).toThrow(
      'sparseSoftmaxCrossEntropy: label 2 is outside the 2 classes [0, 1]',
    );
  });
});
