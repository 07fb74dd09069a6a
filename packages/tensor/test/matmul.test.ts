import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key, matmul, normal, split, tensor, transpose, TensorError, type Tensor } from '@axon/tensor';
import { seedArb } from './arbitraries.js';

/** C = A·B by the textbook triple loop, in float64. */
const naive = (a: Tensor, b: Tensor): number[] => {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a.values[i * k + p] * b.values[p * n + j];
      out.push(s);
    }
  }
  return out;
};

const dims = fc.integer({ min: 1, max: 19 });

const closeTo = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tolerance);
};

describe('matmul', () => {
  it('matches a naive triple loop for all sizes, including ones that are not multiples of the block', () => {
    fc.assert(
      fc.property(dims, dims, dims, seedArb, (m, k, n, seed) => {
        const [ka, kb] = split(key(seed));
        const a = normal(ka, [m, k], { dtype: 'float64' });
        const b = normal(kb, [k, n], { dtype: 'float64' });
        closeTo(matmul(a, b).values, naive(a, b), 1e-12 * k);
      }),
      { numRuns: 60 },
    );
  });

  it('satisfies (AB)ᵀ = BᵀAᵀ, also through the transpose flags', () => {
    fc.assert(
      fc.property(dims, dims, dims, seedArb, (m, k, n, seed) => {
        const [ka, kb] = split(key(seed));
        const a = normal(ka, [m, k], { dtype: 'float64' });
        const b = normal(kb, [k, n], { dtype: 'float64' });
        const left = transpose(matmul(a, b)).values;
        closeTo(matmul(transpose(b), transpose(a)).values, left, 1e-12 * k);
        closeTo(matmul(b, a, { transposeA: true, transposeB: true }).values, left, 1e-12 * k);
        closeTo(matmul(transpose(a), b, { transposeA: true }).values, matmul(a, b).values, 1e-12 * k);
        closeTo(matmul(a, transpose(b), { transposeB: true }).values, matmul(a, b).values, 1e-12 * k);
      }),
      { numRuns: 40 },
    );
  });

  it('broadcasts batch axes like NumPy', () => {
    const [ka, kb] = split(key(3));
    const a = normal(ka, [2, 1, 3, 4], { dtype: 'float64' });
    const b = normal(kb, [5, 4, 2], { dtype: 'float64' });
    const c = matmul(a, b);
    expect(c.shape).toEqual([2, 5, 3, 2]);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 5; j++) {
        const ai = tensor(a.values.slice(i * 12, i * 12 + 12), { shape: [3, 4], dtype: 'float64' });
        const bj = tensor(b.values.slice(j * 8, j * 8 + 8), { shape: [4, 2], dtype: 'float64' });
        closeTo(c.values.slice((i * 5 + j) * 6, (i * 5 + j) * 6 + 6), naive(ai, bj), 1e-12);
      }
    }
  });

  it('treats 1-D operands as vectors and drops their axis', () => {
    const m = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(matmul(tensor([1, 1]), m).toArray()).toEqual([5, 7, 9]);
    expect(matmul(m, tensor([1, 0, -1])).toArray()).toEqual([-2, -2]);
    expect(matmul(tensor([1, 2, 3]), tensor([4, 5, 6])).toArray()).toBe(32);
  });

  it('names the shapes when inner dimensions differ', () => {
    const a = normal(key(0), [128, 784]);
    const b = normal(key(1), [128, 10]);
    expect(() => matmul(a, b)).toThrow(TensorError);
    expect(() => matmul(a, b)).toThrow('matmul: [128,784] x [128,10]: inner dimensions 784 and 128 differ');
  });

  it('refuses mixed dtypes and integer inputs', () => {
    expect(() => matmul(tensor([[1]]), tensor([[1]], { dtype: 'float64' }))).toThrow(/dtypes differ/);
    expect(() => matmul(tensor([[1]], { dtype: 'int32' }), tensor([[1]], { dtype: 'int32' }))).toThrow(
      /float32 or float64/,
    );
  });
});
