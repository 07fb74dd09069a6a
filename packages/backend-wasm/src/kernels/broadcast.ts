import { sizeOf, type Shape } from '@axon/tensor';

/** How an operand covers a `[rows, cols]` output: element `[r, j]` is at `r·row + j·col`. */
export interface OperandSteps {
  readonly row: number;
  readonly col: number;
}

/** A binary op's output seen as `[rows, cols]` (its last axis being `cols`), and where each operand's elements lie. */
export interface MatrixLayout {
  readonly rows: number;
  readonly cols: number;
  readonly a: OperandSteps;
  readonly b: OperandSteps;
}

const sameShape = (x: Shape, y: Shape): boolean => x.length === y.length && x.every((d, i) => d === y[i]);

/**
 * The steps of an operand of `shape` broadcast into `outShape` = `[..., cols]`, when it
 * is full, a single row, a single column or a single value; `undefined` otherwise.
 */
const stepsOf = (shape: Shape, outShape: Shape, cols: number): OperandSteps | undefined => {
  const size = sizeOf(shape);
  if (sameShape(shape, outShape)) return { row: cols, col: 1 };
  if (size === 1) return { row: 0, col: 0 };
  if (shape.length > 0 && shape[shape.length - 1] === cols && size === cols) return { row: 0, col: 1 };
  if (sameShape(shape, [...outShape.slice(0, -1), 1])) return { row: 1, col: 0 };
  return undefined;
};

/**
 * The layouts the binary kernel covers: each operand of the output's shape, a single
 * row (a bias), a single column, or a single value. Two full operands make one long row.
 *
 * @example
 * ```ts
 * matrixLayout([128, 10], [10], [128, 10]); // { rows: 128, cols: 10, a: { row: 10, col: 1 }, b: { row: 0, col: 1 } }
 * ```
 */
export const matrixLayout = (aShape: Shape, bShape: Shape, outShape: Shape): MatrixLayout | undefined => {
  const size = sizeOf(outShape);
  if (sameShape(aShape, outShape) && sameShape(bShape, outShape)) {
    return { rows: 1, cols: size, a: { row: size, col: 1 }, b: { row: size, col: 1 } };
  }
  const cols = outShape.length > 0 ? outShape[outShape.length - 1] : 1;
  if (cols === 0) return undefined;
  const a = stepsOf(aShape, outShape, cols);
  const b = stepsOf(bShape, outShape, cols);
  return a === undefined || b === undefined ? undefined : { rows: size / cols, cols, a, b };
};
