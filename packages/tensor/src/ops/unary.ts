import type { UnaryOp } from '../backend/backend.js';
import type { DType } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import { record, type Vjp } from '../autodiff/record.js';
import { fromStorage, requireFloat } from './operand.js';
import { add, div, mul, neg } from './arithmetic.js';

/** Builds an element-wise float op from its kernel and gradient rule (none: the op is flat). */
export const unaryOp =
  (op: UnaryOp, vjp?: (g: Tensor, x: Tensor, y: Tensor) => Tensor) =>
  <D extends DType>(x: Tensor<D>): Tensor<D> => {
    requireFloat(op, x);
    const out = fromStorage<D>(x.backend.unary(op, x.storage), x.shape, x.backend);
    if (vjp === undefined) return out;
    const rule: Vjp = (g, _needed, [input], output) => [vjp(g, input, output)];
    return record(out, [x], rule);
  };

/** |x|; its gradient at 0 is taken as 0. */
export const abs = unaryOp('abs', (g, x) => mul(g, sign(x)));
/** -1, 0 or 1 by the sign of x (gradient 0). */
export const sign = unaryOp('sign');
/** x². */
export const square = unaryOp('square', (g, x) => mul(g, mul(x, 2)));
/** √x. */
export const sqrt = unaryOp('sqrt', (g, _x, y) => div(g, mul(y, 2)));
/** 1 / x. */
export const reciprocal = unaryOp('reciprocal', (g, _x, y) => neg(mul(g, square(y))));
/** eˣ. */
export const exp = unaryOp('exp', (g, _x, y) => mul(g, y));
/** eˣ − 1, accurate for small x. */
export const expm1 = unaryOp('expm1', (g, _x, y) => mul(g, add(y, 1)));
/** Natural logarithm. */
export const log = unaryOp('log', (g, x) => div(g, x));
/** log(1 + x), accurate for small x. */
export const log1p = unaryOp('log1p', (g, x) => div(g, add(x, 1)));
/** Sine. */
export const sin = unaryOp('sin', (g, x) => mul(g, cos(x)));
/** Cosine. */
export const cos = unaryOp('cos', (g, x) => neg(mul(g, sin(x))));
/** The Gauss error function. */
export const erf = unaryOp('erf', (g, x) => mul(g, mul(exp(neg(square(x))), 2 / Math.sqrt(Math.PI))));
/** Rounds down (gradient 0). */
export const floor = unaryOp('floor');
/** Rounds up (gradient 0). */
export const ceil = unaryOp('ceil');
/** Rounds half to even, as NumPy does (gradient 0). */
export const round = unaryOp('round');
