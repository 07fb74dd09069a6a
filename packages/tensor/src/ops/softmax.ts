import type { DType } from '../core/dtype.js';
import { normalizeAxes, normalizeAxis } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { detach, record } from '../autodiff/record.js';
import { add, mul, sub } from './arithmetic.js';
import { isFinite as finite } from './predicate.js';
import { where } from './compare.js';
import { squeeze, transpose } from './manipulation.js';
import { fromStorage, requireFloat } from './operand.js';
import { max, sum } from './reduction.js';
import { exp, log } from './unary.js';

/**
 * Applies a row-wise kernel along `axis`: directly when it is the last axis, else
 * between two transposes (which carry their own gradients).
 */
const alongAxis = <D extends DType>(x: Tensor<D>, axis: number, lastAxis: (x: Tensor<D>) => Tensor<D>): Tensor<D> => {
  const at = normalizeAxis('softmax', axis, x.rank);
  if (at === x.rank - 1) return lastAxis(x);
  const perm = [...x.shape.keys()];
  perm[at] = x.rank - 1;
  perm[x.rank - 1] = at;
  return transpose(lastAxis(transpose(x, perm)), perm);
};

const rowsAndCols = (x: Tensor): [number, number] => {
  const cols = x.shape[x.rank - 1];
  return [cols === 0 ? 0 : x.size / cols, cols];
};

/**
 * exp(x) / sum(exp(x)) along `axis` (default: last), shifted by the maximum so that
 * inputs of any magnitude stay finite. Its gradient is `y * (g - sum(g * y))`.
 *
 * @example
 * ```ts
 * softmax(tensor([[1e4, 0]])).toArray(); // [[1, 0]]
 * ```
 */
export const softmax = <D extends DType>(x: Tensor<D>, axis = -1): Tensor<D> => {
  requireFloat('softmax', x);
  return alongAxis(x, axis, (v) => {
    const [rows, cols] = rowsAndCols(v);
    const out = fromStorage<D>(v.backend.softmax(v.storage, rows, cols), v.shape, v.backend);
    return record(out, [v], (g, _needed, _inputs, y) => [mul(y, sub(g, sum(mul(g, y), -1, { keepDims: true })))]);
  });
};

/**
 * log(softmax(x)) along `axis` (default: last), computed as `x - logSumExp(x)` so it
 * stays finite where softmax underflows to 0. Its gradient is `g - softmax(x) * sum(g)`.
 */
export const logSoftmax = <D extends DType>(x: Tensor<D>, axis = -1): Tensor<D> => {
  requireFloat('logSoftmax', x);
  return alongAxis(x, axis, (v) => {
    const [rows, cols] = rowsAndCols(v);
    const out = fromStorage<D>(v.backend.logSoftmax(v.storage, rows, cols), v.shape, v.backend);
    return record(out, [v], (g, _needed, _inputs, y) => [sub(g, mul(exp(y), sum(g, -1, { keepDims: true })))]);
  });
};

/**
 * log(sum(exp(x))) over `axes` (default: all), stable for large inputs. A composite:
 * its gradient, softmax(x), comes from the ops it is built of.
 */
export const logSumExp = <D extends DType>(
  x: Tensor<D>,
  axes?: number | readonly number[],
  options: { readonly keepDims?: boolean } = {},
): Tensor<D> => {
  requireFloat('logSumExp', x);
  const resolved = normalizeAxes('logSumExp', axes, x.rank);
  // The shift is a constant for differentiation: the result does not depend on it.
  const peak = detach(max(x, resolved, { keepDims: true }));
  const shift = where(finite(peak), peak, 0);
  const total = log(sum(exp(sub(x, shift)), resolved, { keepDims: true }));
  const result = add(total, shift);
  return options.keepDims ? result : squeeze(result, resolved);
};
