import type { Tensor } from '../core/tensor.js';
import { abs } from './unary.js';
import { less, notEqual } from './compare.js';

/** True where `x` is neither infinite nor NaN. */
export const isFinite = (x: Tensor): Tensor<'bool'> => less(abs(x), Infinity);

/** True where `x` is NaN (the one value not equal to itself). */
export const isNaN = (x: Tensor): Tensor<'bool'> => notEqual(x, x);
