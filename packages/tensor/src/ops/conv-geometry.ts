import type { Conv2DGeometry } from '../backend/backend.js';
import type { DType } from '../core/dtype.js';
import { check, showShape } from '../core/error.js';
import { shapesEqual, type Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { requireFloat } from './operand.js';

/**
 * How a window treats the borders: `'valid'` keeps only windows inside the input;
 * `'same'` pads so the output has `ceil(input / stride)` pixels, splitting the padding
 * as TensorFlow does (the odd pixel goes at the bottom and right).
 */
export type Padding = 'valid' | 'same';

/** A size or step given once for both spatial axes, or as `[height, width]`. */
export type Pair = number | readonly [number, number];

/** Options of `conv2d`; each has TensorFlow's default. */
export interface Conv2DOptions {
  /** Steps between windows; 1 unless stated. */
  readonly strides?: Pair;
  /** `'valid'` unless stated. */
  readonly padding?: Padding;
  /** Steps between a window's taps (atrous convolution); 1 unless stated. */
  readonly dilation?: Pair;
}

/** Options of the pooling ops; each has Keras's default. */
export interface Pool2DOptions {
  /** Steps between windows; the pool size unless stated. */
  readonly strides?: Pair;
  /** `'valid'` unless stated. */
  readonly padding?: Padding;
}

const asPair = (value: Pair): readonly [number, number] => (typeof value === 'number' ? [value, value] : value);

const checkPositivePair = (op: string, name: string, value: Pair): readonly [number, number] => {
  const pair = asPair(value);
  check(
    pair.length === 2 && pair.every((v) => Number.isInteger(v) && v > 0),
    op,
    () => `${name} must be a positive integer or a pair of them, got ${JSON.stringify(value)}`,
  );
  return pair;
};

/**
 * Output extent and the padding before and after along one axis: TensorFlow's rule
 * (`conv_util.getPadAndOutInfo`). `'same'`: out = ceil(in / stride), total padding
 * max(0, (out − 1)·stride + effective window − in), the smaller half before.
 */
const axisGeometry = (
  size: number,
  window: number,
  stride: number,
  dilation: number,
  padding: Padding,
): { out: number; before: number; after: number } => {
  const effective = (window - 1) * dilation + 1;
  if (padding === 'valid')
    return { out: size >= effective ? Math.floor((size - effective) / stride) + 1 : 0, before: 0, after: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max(0, (out - 1) * stride + effective - size);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
};

/**
 * The geometry of a window of `filter` (`[height, width]`) sliding over NHWC input of
 * `xShape`, with `outChannels` output channels. `op` names the op in error messages.
 */
const windowGeometry = (
  op: string,
  xShape: Shape,
  filter: readonly [number, number],
  outChannels: number,
  strides: Pair,
  dilation: Pair,
  padding: Padding,
): Conv2DGeometry => {
  check(xShape.length === 4, op, () => `expects NHWC input [batch, height, width, channels], got ${showShape(xShape)}`);
  check(
    padding === 'valid' || padding === 'same',
    op,
    () => `padding must be 'valid' or 'same', got ${JSON.stringify(padding)}`,
  );
  const [strideHeight, strideWidth] = checkPositivePair(op, 'strides', strides);
  const [dilationHeight, dilationWidth] = checkPositivePair(op, 'dilation', dilation);
  const [batch, inHeight, inWidth, inChannels] = xShape;
  const [filterHeight, filterWidth] = filter;
  const rows = axisGeometry(inHeight, filterHeight, strideHeight, dilationHeight, padding);
  const cols = axisGeometry(inWidth, filterWidth, strideWidth, dilationWidth, padding);
  check(inHeight > 0 && inWidth > 0, op, () => `input ${showShape(xShape)} has no pixels`);
  check(rows.out > 0 && cols.out > 0, op, () => {
    const window = `${(filterHeight - 1) * dilationHeight + 1}x${(filterWidth - 1) * dilationWidth + 1}`;
    const dilated = dilationHeight > 1 || dilationWidth > 1 ? ' (after dilation)' : '';
    return `a ${window} window${dilated} does not fit in ${inHeight}x${inWidth} input ${showShape(xShape)} with 'valid' padding`;
  });
  return {
    batch,
    inHeight,
    inWidth,
    inChannels,
    outHeight: rows.out,
    outWidth: cols.out,
    outChannels,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    padTop: rows.before,
    padBottom: rows.after,
    padLeft: cols.before,
    padRight: cols.after,
  };
};

/**
 * The geometry of `conv2d(x, kernel, options)` for NHWC `xShape` and a kernel of
 * `kernelShape` `[filterHeight, filterWidth, inChannels, outChannels]`, checked: what
 * the convolution kernels and their gradient ops receive (like tfjs's
 * `computeConv2DInfo`).
 *
 * @example
 * ```ts
 * const g = conv2dGeometry([1, 5, 5, 3], [3, 3, 3, 8], { strides: 2, padding: 'same' });
 * [g.outHeight, g.padTop, g.padBottom]; // [3, 1, 1]
 * ```
 */
export const conv2dGeometry = (xShape: Shape, kernelShape: Shape, options: Conv2DOptions = {}): Conv2DGeometry => {
  check(
    kernelShape.length === 4,
    'conv2d',
    () => `expects a kernel [filterHeight, filterWidth, inChannels, outChannels], got ${showShape(kernelShape)}`,
  );
  check(
    kernelShape.every((d) => d > 0),
    'conv2d',
    () => `kernel ${showShape(kernelShape)} has an empty axis`,
  );
  check(
    xShape.length !== 4 || xShape[3] === kernelShape[2],
    'conv2d',
    () =>
      `input ${showShape(xShape)} has ${xShape[3]} channels but kernel ${showShape(kernelShape)} expects ${kernelShape[2]}`,
  );
  return windowGeometry(
    'conv2d',
    xShape,
    [kernelShape[0], kernelShape[1]],
    kernelShape[3],
    options.strides ?? 1,
    options.dilation ?? 1,
    options.padding ?? 'valid',
  );
};

/**
 * The geometry of a pooling window of `poolSize` over NHWC `xShape`, checked. Strides
 * default to the pool size, as in Keras.
 *
 * @example
 * ```ts
 * pool2dGeometry('maxPool2d', [1, 5, 5, 1], 2, {}).outHeight; // 2 ('valid' drops the last row)
 * ```
 */
export const pool2dGeometry = (
  op: string,
  xShape: Shape,
  poolSize: Pair,
  options: Pool2DOptions = {},
): Conv2DGeometry => {
  const size = checkPositivePair(op, 'poolSize', poolSize);
  const channels = xShape.length === 4 ? xShape[3] : 0;
  return windowGeometry(op, xShape, size, channels, options.strides ?? size, 1, options.padding ?? 'valid');
};

/** The NHWC shape of a geometry's input. */
export const inputShapeOf = (g: Conv2DGeometry): Shape => [g.batch, g.inHeight, g.inWidth, g.inChannels];

/** The NHWC shape of a geometry's output. */
export const outputShapeOf = (g: Conv2DGeometry): Shape => [g.batch, g.outHeight, g.outWidth, g.outChannels];

/** The kernel shape of a convolution's geometry. */
export const kernelShapeOf = (g: Conv2DGeometry): Shape => [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels];

/** Checks that an operand of a windowed op `op` is a float tensor of `dtype` shaped `expected` by the geometry. */
export const checkWindowOperand = (op: string, name: string, x: Tensor, dtype: DType, expected: Shape): void => {
  requireFloat(op, x);
  check(x.dtype === dtype, op, () => `${name} is ${x.dtype}${showShape(x.shape)} but the other operand is ${dtype}`);
  check(
    shapesEqual(x.shape, expected),
    op,
    () => `${name} must be ${showShape(expected)} for this geometry, got ${showShape(x.shape)}`,
  );
};
