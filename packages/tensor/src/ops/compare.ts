import type { CompareOp } from '../backend/backend.js';
import { check, showShape } from '../core/error.js';
import { broadcastShapes } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import type { DType } from '../core/dtype.js';
import { record } from '../autodiff/record.js';
import { unbroadcast } from '../autodiff/unbroadcast.js';
import { backendOf, fromStorage, operands, storageOn, type TensorLike } from './operand.js';
import { zerosLike } from './creation.js';

const comparison =
  (op: CompareOp) =>
  (a: TensorLike, b: TensorLike): Tensor<'bool'> => {
    const [x, y] = operands(op, a, b);
    const shape = broadcastShapes(op, x.shape, y.shape);
    const backend = backendOf(x, y);
    const storage = backend.binary(op, storageOn(x, backend), x.shape, storageOn(y, backend), y.shape, shape);
    return fromStorage(storage, shape, backend) as Tensor<'bool'>;
  };

/** Element-wise `a == b` as a bool mask, with broadcasting. */
export const equal = comparison('equal');
/** Element-wise `a != b` as a bool mask, with broadcasting. */
export const notEqual = comparison('notEqual');
/** Element-wise `a < b` as a bool mask, with broadcasting. */
export const less = comparison('less');
/** Element-wise `a <= b` as a bool mask, with broadcasting. */
export const lessEqual = comparison('lessEqual');
/** Element-wise `a > b` as a bool mask, with broadcasting. */
export const greater = comparison('greater');
/** Element-wise `a >= b` as a bool mask, with broadcasting. */
export const greaterEqual = comparison('greaterEqual');

/**
 * Picks `a` where `condition` is true and `b` elsewhere, broadcasting all three.
 * Gradients flow to `a` and `b` through the elements each supplied.
 *
 * @example
 * ```ts
 * const x = tensor([-1, 2]);
 * where(greater(x, 0), x, 0).toArray(); // [0, 2]
 * ```
 */
export const where = <D extends DType>(condition: Tensor, a: TensorLike<D>, b: TensorLike<D>): Tensor<D> => {
  check(
    condition.dtype === 'bool',
    'where',
    () => `condition must be bool, got ${condition.dtype}${showShape(condition.shape)}`,
  );
  const [x, y] = operands('where', a, b);
  const shape = broadcastShapes('where', condition.shape, x.shape, y.shape);
  const backend = backendOf(condition, x, y);
  const mask = storageOn(condition as Tensor<'bool'>, backend);
  const storage = backend.where(
    mask,
    condition.shape,
    storageOn(x, backend),
    x.shape,
    storageOn(y, backend),
    y.shape,
    shape,
  );
  const out = fromStorage<D>(storage, shape, backend);
  return record(out, [x, y], (g, needed, inputs) => {
    const none = zerosLike(g);
    return [
      needed[0] ? unbroadcast(where(condition, g, none), inputs[0].shape) : undefined,
      needed[1] ? unbroadcast(where(condition, none, g), inputs[1].shape) : undefined,
    ];
  });
};
