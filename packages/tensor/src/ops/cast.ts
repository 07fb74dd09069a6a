import { isFloat, type DType } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import { record } from '../autodiff/record.js';
import { fromStorage } from './operand.js';

/**
 * Converts to `dtype`. Floats truncate toward zero into int32; non-zero becomes true.
 * Gradients flow through float-to-float casts only.
 *
 * @example
 * ```ts
 * cast(tensor([1.7, -1.7]), 'int32').toArray(); // [1, -1]
 * ```
 */
export const cast = <D extends DType>(x: Tensor, dtype: D): Tensor<D> => {
  if (x.dtype === dtype) return x as Tensor<D>;
  const out = fromStorage<D>(x.backend.cast(x.storage, dtype), x.shape, x.backend);
  if (!isFloat(x.dtype) || !isFloat(dtype)) return out;
  return record(out, [x], (g) => [cast(g, x.dtype)]);
};
