import type { ArithmeticOp } from '../backend/backend.js';
import { check, showShape } from '../core/error.js';
import { broadcastShapes } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import type { DType } from '../core/dtype.js';
import { record, type Vjp } from '../autodiff/record.js';
import { unbroadcast } from '../autodiff/unbroadcast.js';
import { backendOf, fromStorage, operands, storageOn, type TensorLike } from './operand.js';
import { greater, greaterEqual, lessEqual, where } from './compare.js';
import { log } from './unary.js';
import { cast } from './cast.js';

/** Runs a broadcasting arithmetic kernel and records its gradient rule. */
const arithmetic =
  (op: ArithmeticOp, vjp: Vjp) =>
  <D extends DType>(a: TensorLike<D>, b: TensorLike<D>): Tensor<D> => {
    const [x, y] = operands(op, a, b);
    check(
      x.dtype !== 'bool',
      op,
      () => `is not defined for bool tensors ${showShape(x.shape)} and ${showShape(y.shape)}; cast them first`,
    );
    check(
      x.dtype !== 'int32' || (op !== 'div' && op !== 'pow'),
      op,
      () =>
        `is not defined for int32 tensors ${showShape(x.shape)} and ${showShape(y.shape)}; cast them to a float dtype first`,
    );
    const shape = broadcastShapes(op, x.shape, y.shape);
    const backend = backendOf(x, y);
    const storage = backend.binary(op, storageOn(x, backend), x.shape, storageOn(y, backend), y.shape, shape);
    const out = fromStorage<D>(storage, shape, backend);
    return x.dtype === 'int32' ? out : record(out, [x, y], vjp);
  };

/** Maps each input's cotangent through `unbroadcast`, skipping the ones not needed. */
const both = (
  needed: readonly boolean[],
  inputs: readonly Tensor[],
  da: () => Tensor,
  db: () => Tensor,
): (Tensor | undefined)[] => [
  needed[0] ? unbroadcast(da(), inputs[0].shape) : undefined,
  needed[1] ? unbroadcast(db(), inputs[1].shape) : undefined,
];

/** Element-wise `a + b` with broadcasting. */
export const add = arithmetic('add', (g, needed, inputs) =>
  both(
    needed,
    inputs,
    () => g,
    () => g,
  ),
);

/** Element-wise `a - b` with broadcasting. */
export const sub = arithmetic('sub', (g, needed, inputs) =>
  both(
    needed,
    inputs,
    () => g,
    () => neg(g),
  ),
);

/** Element-wise `a * b` with broadcasting. */
export const mul = arithmetic('mul', (g, needed, [a, b]) =>
  both(
    needed,
    [a, b],
    () => mul(g, b),
    () => mul(g, a),
  ),
);

/** Element-wise `a / b` with broadcasting. */
export const div = arithmetic('div', (g, needed, [a, b], out) =>
  both(
    needed,
    [a, b],
    () => div(g, b),
    () => neg(div(mul(g, out), b)),
  ),
);

/**
 * Element-wise `a ** b` with broadcasting. The gradient with respect to the exponent
 * is taken as 0 where the base is not positive (where `log(a)` is undefined).
 */
export const pow = arithmetic('pow', (g, needed, [a, b], out) =>
  both(
    needed,
    [a, b],
    () => mul(g, mul(b, pow(a, sub(b, 1)))),
    () => mul(g, where(greater(a, 0), mul(out, log(where(greater(a, 0), a, 1))), 0)),
  ),
);

/** Element-wise maximum with broadcasting; at ties the gradient goes to `a`. */
export const maximum = arithmetic('maximum', (g, needed, [a, b]) => {
  const toA = cast(greaterEqual(a, b), g.dtype);
  return both(
    needed,
    [a, b],
    () => mul(g, toA),
    () => mul(g, sub(1, toA)),
  );
});

/** Element-wise minimum with broadcasting; at ties the gradient goes to `a`. */
export const minimum = arithmetic('minimum', (g, needed, [a, b]) => {
  const toA = cast(lessEqual(a, b), g.dtype);
  return both(
    needed,
    [a, b],
    () => mul(g, toA),
    () => mul(g, sub(1, toA)),
  );
});

/** Element-wise `-x`. */
export const neg = <D extends DType>(x: Tensor<D>): Tensor<D> => mul(x, -1);
