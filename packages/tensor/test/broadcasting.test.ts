import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, broadcastShapes, key, mul, normal, split, sub, TensorError } from '@axon/tensor';
import { broadcastPairArb, seedArb, shapeArb } from './arbitraries.js';

/** NumPy's rule, written independently: pad with leading 1s, then each pair must agree or hold a 1. */
const reference = (a: number[], b: number[]): number[] | undefined => {
  const rank = Math.max(a.length, b.length);
  const pa = [...new Array<number>(rank - a.length).fill(1), ...a];
  const pb = [...new Array<number>(rank - b.length).fill(1), ...b];
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    if (pa[i] !== pb[i] && pa[i] !== 1 && pb[i] !== 1) return undefined;
    out.push(pa[i] === 1 ? pb[i] : pa[i]);
  }
  return out;
};

describe('broadcasting', () => {
  it('gives the result shape of the reference rule, or a named error', () => {
    fc.assert(
      fc.property(shapeArb(4, 3), shapeArb(4, 3), (a, b) => {
        const expected = reference(a, b);
        if (expected === undefined) expect(() => broadcastShapes('add', a, b)).toThrow(TensorError);
        else expect(broadcastShapes('add', a, b)).toEqual(expected);
      }),
    );
  });

  it('computes each element from the elements the rule pairs it with', () => {
    fc.assert(
      fc.property(broadcastPairArb(3, 3), seedArb, ([sa, sb], seed) => {
        const [ka, kb] = split(key(seed));
        const a = normal(ka, sa, { dtype: 'float64' });
        const b = normal(kb, sb, { dtype: 'float64' });
        const out = sub(a, b);
        const shape = out.shape;
        // Walk every output index and look the operands up by the rule.
        const index = (flat: number, s: readonly number[]): number[] => {
          const idx: number[] = [];
          for (let i = s.length - 1; i >= 0; i--) {
            idx.unshift(flat % s[i]);
            flat = Math.floor(flat / s[i]);
          }
          return idx;
        };
        const lookup = (x: typeof a, outIdx: number[]): number => {
          const offset = outIdx.length - x.rank;
          let flat = 0;
          for (let i = 0; i < x.rank; i++) flat = flat * x.shape[i] + (x.shape[i] === 1 ? 0 : outIdx[offset + i]);
          return x.values[flat];
        };
        for (let f = 0; f < out.size; f++) {
          const idx = index(f, shape);
          expect(out.values[f]).toBe(lookup(a, idx) - lookup(b, idx));
        }
      }),
    );
  });

  it('names the op and both shapes in the error', () => {
    const a = normal(key(0), [2, 3]);
    const b = normal(key(1), [4]);
    expect(() => mul(a, b)).toThrow('mul: shapes [2,3] and [4] cannot be broadcast: axis -1 has extents 3 and 4');
    expect(() => add(a, normal(key(2), [3, 3]))).toThrow(/add: shapes \[2,3\] and \[3,3\]/);
  });
});
