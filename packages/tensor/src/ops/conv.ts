import type { Conv2DGeometry, ConvActivation } from '../backend/backend.js';
import type { DType } from '../core/dtype.js';
import { check, showShape } from '../core/error.js';
import type { Tensor } from '../core/tensor.js';
import { record } from '../autodiff/record.js';
import { unbroadcast } from '../autodiff/unbroadcast.js';
import { activationGrad, relu } from './activation.js';
import { add } from './arithmetic.js';
import {
  checkWindowOperand,
  conv2dGeometry,
  inputShapeOf,
  kernelShapeOf,
  outputShapeOf,
  type Conv2DOptions,
} from './conv-geometry.js';
import { backendOf, fromStorage, requireFloat, storageOn } from './operand.js';

// The three ops below are the convolution and its two adjoints. Each is linear in both
// operands, so each one's vector-Jacobian product is made of the other two:
//   ⟨dy, conv(x, k)⟩ = ⟨backpropInput(dy, k), x⟩ = ⟨backpropFilter(x, dy), k⟩.
// They are recorded ops, so gradients of gradients go through them again.

const conv2dWith = <D extends DType>(x: Tensor<D>, kernel: Tensor<D>, g: Conv2DGeometry): Tensor<D> => {
  const backend = backendOf(x, kernel);
  const out = fromStorage<D>(
    backend.conv2d(storageOn(x, backend), storageOn(kernel, backend), g),
    outputShapeOf(g),
    backend,
  );
  return record(out, [x, kernel], (dy, needed, [xi, ki]) => [
    needed[0] ? conv2dBackpropInput(dy, ki, g) : undefined,
    needed[1] ? conv2dBackpropFilter(xi, dy, g) : undefined,
  ]);
};

/**
 * 2-D convolution of NHWC images `x` `[batch, height, width, inChannels]` with `kernel`
 * `[filterHeight, filterWidth, inChannels, outChannels]`, as TensorFlow's `conv2d`
 * (a cross-correlation: the kernel is not flipped). Options: `strides`, `padding`
 * (`'valid'` or `'same'`, TensorFlow's rule: the odd padding row or column goes at
 * the bottom or right) and `dilation`; strides and dilation may be combined.
 *
 * @example
 * ```ts
 * const y = conv2d(images, kernel, { padding: 'same' }); // [128,28,28,1] * [3,3,1,32] → [128,28,28,32]
 * ```
 */
export const conv2d = <D extends DType>(x: Tensor<D>, kernel: Tensor<D>, options: Conv2DOptions = {}): Tensor<D> => {
  requireFloat('conv2d', x);
  const g = conv2dGeometry(x.shape, kernel.shape, options);
  checkWindowOperand('conv2d', 'the kernel', kernel, x.dtype, kernelShapeOf(g));
  return conv2dWith(x, kernel, g);
};

/**
 * The gradient of `conv2d` with respect to its input, given the output's gradient `dy`
 * `[batch, outHeight, outWidth, outChannels]` and the kernel: a transposed convolution
 * (TensorFlow's `conv2DBackpropInput`). Itself differentiable in both operands.
 *
 * @example
 * ```ts
 * const g = conv2dGeometry(x.shape, kernel.shape, { strides: 2 });
 * const dx = conv2dBackpropInput(dy, kernel, g); // shaped like x
 * ```
 */
export const conv2dBackpropInput = <D extends DType>(
  dy: Tensor<D>,
  kernel: Tensor<D>,
  geometry: Conv2DGeometry,
): Tensor<D> => {
  const g = geometry;
  checkWindowOperand('conv2dBackpropInput', 'dy', dy, dy.dtype, outputShapeOf(g));
  checkWindowOperand('conv2dBackpropInput', 'the kernel', kernel, dy.dtype, kernelShapeOf(g));
  const backend = backendOf(dy, kernel);
  const out = fromStorage<D>(
    backend.conv2dBackpropInput(storageOn(dy, backend), storageOn(kernel, backend), g),
    inputShapeOf(g),
    backend,
  );
  return record(out, [dy, kernel], (c, needed, [dyi, ki]) => [
    needed[0] ? conv2dWith(c, ki, g) : undefined,
    needed[1] ? conv2dBackpropFilter(c, dyi, g) : undefined,
  ]);
};

/**
 * The gradient of `conv2d` with respect to its kernel, given the input `x` and the
 * output's gradient `dy` (TensorFlow's `conv2DBackpropFilter`). Itself differentiable in
 * both operands.
 *
 * @example
 * ```ts
 * const dKernel = conv2dBackpropFilter(x, dy, conv2dGeometry(x.shape, kernel.shape)); // shaped like kernel
 * ```
 */
export const conv2dBackpropFilter = <D extends DType>(
  x: Tensor<D>,
  dy: Tensor<D>,
  geometry: Conv2DGeometry,
): Tensor<D> => {
  const g = geometry;
  checkWindowOperand('conv2dBackpropFilter', 'x', x, x.dtype, inputShapeOf(g));
  checkWindowOperand('conv2dBackpropFilter', 'dy', dy, x.dtype, outputShapeOf(g));
  const backend = backendOf(x, dy);
  const out = fromStorage<D>(
    backend.conv2dBackpropFilter(storageOn(x, backend), storageOn(dy, backend), g),
    kernelShapeOf(g),
    backend,
  );
  return record(out, [x, dy], (c, needed, [xi, dyi]) => [
    needed[0] ? conv2dBackpropInput(dyi, c, g) : undefined,
    needed[1] ? conv2dWith(xi, c, g) : undefined,
  ]);
};

/**
 * The geometry of a fused convolution (the op named `op`), its operands checked: float
 * images, a kernel of their dtype and a bias `[outChannels]` or none.
 */
export const fusedConv2dGeometry = (
  op: string,
  x: Tensor,
  kernel: Tensor,
  bias: Tensor | undefined,
  options: Conv2DOptions,
): Conv2DGeometry => {
  requireFloat(op, x);
  const g = conv2dGeometry(x.shape, kernel.shape, options);
  checkWindowOperand(op, 'the kernel', kernel, x.dtype, kernelShapeOf(g));
  check(
    bias === undefined || (bias.rank === 1 && bias.shape[0] === g.outChannels && bias.dtype === x.dtype),
    op,
    () => `bias ${bias?.dtype}${showShape(bias?.shape ?? [])} must be ${x.dtype}[${g.outChannels}]`,
  );
  return g;
};

/**
 * A convolution layer's forward pass in one kernel where the backend has one:
 * `activation(conv2d(x, kernel, options) + bias)` (`bias` `[outChannels]` or none,
 * `activation` `'linear'` or `'relu'`), bit for bit what those ops give one by one, and
 * what runs on backends without the fused kernel. Its gradient is theirs too:
 * `dz = dy · activation'(y)`, then the convolution's two adjoints of `dz` and the sum of
 * `dz` over pixels for the bias.
 *
 * @example
 * ```ts
 * const hidden = fusedConv2d(images, params.kernel, params.bias, 'relu'); // relu(conv2d(images, kernel) + bias)
 * ```
 */
export const fusedConv2d = <D extends DType>(
  x: Tensor<D>,
  kernel: Tensor<D>,
  bias: Tensor<D> | undefined,
  activation: ConvActivation,
  options: Conv2DOptions = {},
): Tensor<D> =>
  fusedConv2dWith(x, kernel, bias, activation, fusedConv2dGeometry('fusedConv2d', x, kernel, bias, options));

/** {@link fusedConv2d} for operands already checked against the geometry `g`. */
export const fusedConv2dWith = <D extends DType>(
  x: Tensor<D>,
  kernel: Tensor<D>,
  bias: Tensor<D> | undefined,
  activation: ConvActivation,
  g: Conv2DGeometry,
): Tensor<D> => {
  const inputs = bias === undefined ? [x, kernel] : [x, kernel, bias];
  const backend = backendOf(...inputs);
  const fused = backend.fusedConv2d?.(
    storageOn(x, backend),
    storageOn(kernel, backend),
    bias && storageOn(bias, backend),
    activation,
    g,
  );
  if (fused === undefined) {
    const convolved = conv2dWith(x, kernel, g);
    const biased = bias === undefined ? convolved : add(convolved, bias);
    return activation === 'relu' ? relu(biased) : biased;
  }
  const out = fromStorage<D>(fused, outputShapeOf(g), backend);
  return record(out, inputs, (dy, needed, [xi, ki, bi], y) => {
    const dz = activation === 'relu' ? activationGrad('relu', dy, y) : dy;
    return [
      needed[0] ? conv2dBackpropInput(dz, ki, g) : undefined,
      needed[1] ? conv2dBackpropFilter(xi, dz, g) : undefined,
      needed[2] ? unbroadcast(dz, bi.shape) : undefined,
    ];
  });
};
