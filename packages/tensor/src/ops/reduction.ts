import type { ReduceOp } from '../backend/backend.js';
import type { DType } from '../core/dtype.js';
import { check, showShape } from '../core/error.js';
import { normalizeAxes, normalizeAxis, sizeOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { detach, record } from '../autodiff/record.js';
import { broadcastTo, reshape, transpose } from './manipulation.js';
import { fromStorage, requireFloat } from './operand.js';
import { cast } from './cast.js';
import { div, mul } from './arithmetic.js';
import { equal } from './compare.js';

/** Which axes a reduction runs over (default: all), and whether to keep them as extent 1. */
export interface ReduceOptions {
  readonly keepDims?: boolean;
}

type Axes = number | readonly number[] | undefined;

/** The shape of a reduction's result, with reduced axes dropped or kept as 1. */
const reducedShape = (shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] =>
  keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));

/**
 * Runs a backend reduction over `axes`: contiguous axes reduce in place as the middle
 * of `[outer, size, inner]`; others are first transposed to the end.
 */
const reduceOver = (op: ReduceOp, x: Tensor, axes: readonly number[], keepDims: boolean): Tensor => {
  const contiguous = axes.every((a, i) => i === 0 || a === axes[i - 1] + 1);
  const source = contiguous
    ? x
    : transpose(detach(x), [...x.shape.keys()].filter((i) => !axes.includes(i)).concat(axes));
  const first = contiguous ? (axes[0] ?? 0) : x.rank - axes.length;
  const outer = sizeOf(source.shape.slice(0, first));
  const size = sizeOf(source.shape.slice(first, first + axes.length));
  const inner = sizeOf(source.shape.slice(first + axes.length));
  const storage = x.backend.reduce(op, source.storage, outer, size, inner);
  return fromStorage(storage, reducedShape(x.shape, axes, keepDims), x.backend);
};

/** The cotangent of a reduction's output, broadcast back over the reduced axes of `x`. */
const spread = (g: Tensor, x: Tensor, axes: readonly number[]): Tensor =>
  broadcastTo(reshape(g, reducedShape(x.shape, axes, true)), x.shape);

/**
 * Sum over `axes` (default: all).
 *
 * @example
 * ```ts
 * sum(tensor([[1, 2], [3, 4]]), 0).toArray(); // [4, 6]
 * ```
 */
export const sum = <D extends DType>(x: Tensor<D>, axes?: Axes, options: ReduceOptions = {}): Tensor<D> => {
  check(x.dtype !== 'bool', 'sum', () => `cannot sum a bool tensor ${showShape(x.shape)}; cast it first`);
  const resolved = normalizeAxes('sum', axes, x.rank);
  const out = reduceOver('sum', x, resolved, options.keepDims ?? false) as Tensor<D>;
  return record(out, [x], (g) => [spread(g, x, resolved)]);
};

/** Arithmetic mean over `axes` (default: all). */
export const mean = <D extends DType>(x: Tensor<D>, axes?: Axes, options: ReduceOptions = {}): Tensor<D> => {
  requireFloat('mean', x);
  const resolved = normalizeAxes('mean', axes, x.rank);
  const count = sizeOf(resolved.map((a) => x.shape[a]));
  return div(sum(x, resolved, options), count);
};

/**
 * The extreme values over `axes`. The gradient is shared equally among tied maxima,
 * as in JAX.
 */
const extreme =
  (op: 'max' | 'min') =>
  <D extends DType>(x: Tensor<D>, axes?: Axes, options: ReduceOptions = {}): Tensor<D> => {
    const resolved = normalizeAxes(op, axes, x.rank);
    check(
      x.size > 0 || resolved.length === 0,
      op,
      () => `cannot take the ${op} of an empty tensor ${showShape(x.shape)}`,
    );
    const out = reduceOver(op, x, resolved, options.keepDims ?? false) as Tensor<D>;
    return record(out, [x], (g, _needed, [input], output) => {
      const mask = cast(equal(input, spread(output, input, resolved)), input.dtype);
      const ties = spread(sum(mask, resolved), input, resolved);
      return [div(mul(spread(g, input, resolved), mask), ties)];
    });
  };

/** Maximum over `axes` (default: all); NaN propagates. */
export const max = extreme('max');

/** Minimum over `axes` (default: all); NaN propagates. */
export const min = extreme('min');

const argExtreme =
  (op: 'argmax' | 'argmin') =>
  (x: Tensor, axis = -1): Tensor<'int32'> => {
    const at = normalizeAxis(op, axis, x.rank);
    check(x.shape[at] > 0, op, () => `axis ${at} of ${showShape(x.shape)} is empty`);
    return reduceOver(op, x, [at], false) as Tensor<'int32'>;
  };

/** Index of the first maximum along `axis` (default: last), as int32. */
export const argmax = argExtreme('argmax');

/** Index of the first minimum along `axis` (default: last), as int32. */
export const argmin = argExtreme('argmin');
