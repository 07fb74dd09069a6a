import type { ReduceOp } from '../backend.js';
import { allocate, type TypedArray } from '../../core/dtype.js';

/**
 * Reduces `[outer, size, inner]` over the middle axis. Sums and products accumulate
 * in double precision; max and min propagate NaN as NumPy does; argmax and argmin
 * return the first index of the extreme value.
 */
export const reduceValues = (op: ReduceOp, x: TypedArray, outer: number, size: number, inner: number): TypedArray => {
  if (op === 'argmax' || op === 'argmin') return argReduce(op === 'argmax', x, outer, size, inner);
  const out = allocate(
    x instanceof Float32Array ? 'float32' : x instanceof Int32Array ? 'int32' : 'float64',
    outer * inner,
  );
  if (inner === 1 && op === 'sum') {
    // A whole-row sum keeps its accumulator in a register.
    for (let o = 0; o < outer; o++) {
      let total = 0;
      for (let s = o * size, end = s + size; s < end; s++) total += x[s];
      out[o] = total;
    }
    return out;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    const init = op === 'sum' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
    acc.fill(init);
    // Row by row, so memory is read in order whatever `inner` is.
    for (let s = 0; s < size; s++) {
      const row = base + s * inner;
      switch (op) {
        case 'sum':
          for (let i = 0; i < inner; i++) acc[i] += x[row + i];
          break;
        case 'prod':
          for (let i = 0; i < inner; i++) acc[i] *= x[row + i];
          break;
        case 'max':
          for (let i = 0; i < inner; i++) {
            const v = x[row + i];
            if (v > acc[i] || v !== v) acc[i] = v;
          }
          break;
        case 'min':
          for (let i = 0; i < inner; i++) {
            const v = x[row + i];
            if (v < acc[i] || v !== v) acc[i] = v;
          }
          break;
      }
    }
    out.set(acc, o * inner);
  }
  return out;
};

const argReduce = (isMax: boolean, x: TypedArray, outer: number, size: number, inner: number): Int32Array => {
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = x[o * size * inner + i];
      let index = 0;
      for (let s = 1; s < size && best === best; s++) {
        const v = x[(o * size + s) * inner + i];
        // A NaN wins and stops the search, as NumPy's argmax does.
        if ((isMax ? v > best : v < best) || v !== v) {
          best = v;
          index = s;
        }
      }
      out[o * inner + i] = index;
    }
  }
  return out;
};
