import type { FusedActivation } from '../backend/backend.js';
import type { DType } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import { record } from '../autodiff/record.js';
import { add, minimum, mul, sub } from './arithmetic.js';
import { greater, where } from './compare.js';
import { backendOf, floatStorageOn, fromStorage, storageOn } from './operand.js';
import { exp, erf, expm1, square, unaryOp } from './unary.js';

/**
 * `dy * activation'(x)` computed from the activation's output `y = activation(x)` in one
 * fused kernel: the gradient rule of relu, sigmoid, tanh and the fused `dense`. It is an
 * op with its own gradient, so gradients of gradients pass through it: linear in `dy`,
 * and with respect to `y` the derivative of `activation'` written in `y`
 * (sigmoid: y(1 - y) → 1 - 2y; tanh: 1 - y² → -2y; relu and linear: constant).
 */
export const activationGrad = <D extends DType>(
  activation: FusedActivation,
  dy: Tensor<D>,
  y: Tensor<D>,
): Tensor<D> => {
  const backend = backendOf(dy, y);
  const out = fromStorage<D>(
    backend.activationGrad(activation, floatStorageOn(dy, backend), storageOn(y, backend)),
    dy.shape,
    backend,
  );
  return record(out, [dy, y], (g, needed, [dyIn, yIn]) => [
    needed[0] ? activationGrad(activation, g, yIn) : undefined,
    needed[1] ? activationCurvature(activation, mul(g, dyIn), yIn) : undefined,
  ]);
};

/** `h · d(activation'(x))/dy` in terms of the output `y`; undefined where it is 0. */
const activationCurvature = (activation: FusedActivation, h: Tensor, y: Tensor): Tensor | undefined => {
  switch (activation) {
    case 'sigmoid':
      return mul(h, sub(1, mul(y, 2)));
    case 'tanh':
      return mul(h, mul(y, -2));
    default:
      return undefined;
  }
};

/** The gradient rule of an activation whose derivative is a function of its output. */
const fromOutput =
  (activation: FusedActivation) =>
  (g: Tensor, _x: Tensor, y: Tensor): Tensor =>
    activationGrad(activation, g, y);

/** max(x, 0). Its gradient at 0 is taken as 0 (relu'(0) = 0), as in TensorFlow and PyTorch. */
export const relu = unaryOp('relu', fromOutput('relu'));

/** The logistic function 1 / (1 + e⁻ˣ), computed without overflow. */
export const sigmoid = unaryOp('sigmoid', fromOutput('sigmoid'));

/** Hyperbolic tangent. */
export const tanh = unaryOp('tanh', fromOutput('tanh'));

/** log(1 + eˣ), computed without overflow; its derivative is the sigmoid. */
export const softplus = unaryOp('softplus', (g, x) => mul(g, sigmoid(x)));

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * The exact (erf-based) GELU, x·Φ(x), Keras's and PyTorch's default. Its derivative is
 * Φ(x) + x·φ(x).
 */
export const gelu = unaryOp('gelu', (g, x) => {
  const cdf = mul(add(erf(mul(x, Math.SQRT1_2)), 1), 0.5);
  const pdf = mul(exp(mul(square(x), -0.5)), INV_SQRT_2PI);
  return mul(g, add(cdf, mul(x, pdf)));
});

/**
 * x where x > 0, else `alpha`·x (default alpha 0.2, as Keras). At 0 the gradient is alpha.
 */
export const leakyRelu = <D extends DType>(x: Tensor<D>, alpha = 0.2): Tensor<D> =>
  where(greater(x, 0), x, mul(x, alpha));

/**
 * x where x > 0, else `alpha`·(eˣ − 1) (default alpha 1). At 0 the gradient is alpha.
 */
export const elu = <D extends DType>(x: Tensor<D>, alpha = 1): Tensor<D> =>
  // expm1 sees min(x, 0) so the unused branch never overflows: an infinite value there
  // would turn its zero cotangent into NaN.
  where(greater(x, 0), x, mul(expm1(minimum(x, 0)), alpha));
