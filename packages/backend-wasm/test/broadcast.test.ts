import { describe, expect, it } from 'vitest';
import { matrixLayout } from '../src/kernels/broadcast.js';

const full = (cols: number) => ({ row: cols, col: 1 });
const row = { row: 0, col: 1 };
const column = { row: 1, col: 0 };
const single = { row: 0, col: 0 };

describe('matrixLayout', () => {
  it('lays equal shapes out as one long row', () => {
    expect(matrixLayout([4, 5], [4, 5], [4, 5])).toEqual({ rows: 1, cols: 20, a: full(20), b: full(20) });
    expect(matrixLayout([], [], [])).toEqual({ rows: 1, cols: 1, a: full(1), b: full(1) });
  });

  it('repeats a single row, column or value on either side', () => {
    expect(matrixLayout([128, 10], [10], [128, 10])).toEqual({ rows: 128, cols: 10, a: full(10), b: row });
    expect(matrixLayout([1, 1, 6], [2, 3, 6], [2, 3, 6])).toEqual({ rows: 6, cols: 6, a: row, b: full(6) });
    expect(matrixLayout([4, 5], [4, 1], [4, 5])).toEqual({ rows: 4, cols: 5, a: full(5), b: column });
    expect(matrixLayout([7], [], [7])).toEqual({ rows: 1, cols: 7, a: full(7), b: single });
    expect(matrixLayout([1, 1], [3, 2], [3, 2])).toEqual({ rows: 3, cols: 2, a: single, b: full(2) });
    // An outer sum: a column against a row.
    expect(matrixLayout([4, 1], [1, 5], [4, 5])).toEqual({ rows: 4, cols: 5, a: column, b: row });
  });

  it('declines every other broadcast', () => {
    expect(matrixLayout([3, 1, 5], [4, 1], [3, 4, 5])).toBeUndefined();
    expect(matrixLayout([2, 1, 3], [2, 4, 3], [2, 4, 3])).toBeUndefined();
    expect(matrixLayout([3, 0], [0], [3, 0])).toBeUndefined();
  });

  it('lays an empty output out without dividing by zero', () => {
    expect(matrixLayout([0, 5], [5], [0, 5])).toEqual({ rows: 0, cols: 5, a: full(5), b: row });
  });
});
