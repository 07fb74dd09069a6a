import { TensorError, type Conv2DGeometry, type Shape } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { OnnxAttribute, OnnxNodes } from '../../onnx/onnx-nodes.js';
import { PositiveInteger } from '../../codec/numbers.js';
import { oneOf } from '../../codec/one-of.js';

// What the windowed layers (Conv2D, pooling) share in a file: `[height, width]` pairs
// that Keras may also write as one number, the padding, the data format, and output
// shapes from @axon/tensor's own geometry rule, so files and ops cannot disagree.

/** A size or step: one positive integer for both axes, or `[height, width]`. */
export const PairJson = t.union(
  [PositiveInteger, t.tuple([PositiveInteger, PositiveInteger])],
  'a positive integer or a pair of them, such as [3, 3]',
);

/** `[height, width]` from a {@link PairJson} value. */
export const pairOf = (value: t.TypeOf<typeof PairJson>): readonly [number, number] =>
  typeof value === 'number' ? [value, value] : [value[0], value[1]];

/** The paddings axon computes; Keras's `causal` is for one-dimensional layers only. */
export const PaddingJson = oneOf(['valid', 'same']);

/**
 * Only channels-last (NHWC) images are what axon's kernels take and its weights
 * assume, so `channels_first` is refused rather than silently permuted.
 */
export const DataFormatJson = t.union(
  [t.literal('channels_last', '"channels_last" (axon computes NHWC images)'), t.null],
  '"channels_last" (axon computes NHWC images)',
);

/**
 * The output sample shape of a window (`window` as messages show it, e.g. `3x3`) over
 * image samples of `inputShape`, or what the layer needs (a noun phrase) when the
 * samples are not images it fits in.
 *
 * @example
 * windowOutput([28, 28, 1], (x) => conv2dGeometry(x, [3, 3, 1, 32]), '3x3'); // right([26, 26, 32])
 * windowOutput([2, 2, 1], (x) => conv2dGeometry(x, [3, 3, 1, 32]), '3x3');   // left('image samples large enough for its 3x3 window')
 */
export const windowOutput = (
  inputShape: Shape,
  geometry: (xShape: Shape) => Conv2DGeometry,
  window: string,
): E.Either<string, Shape> => {
  if (inputShape.length !== 3) return E.left('image samples [height, width, channels]');
  try {
    const g = geometry([1, ...inputShape]);
    return E.right([g.outHeight, g.outWidth, g.outChannels]);
  } catch (error) {
    if (error instanceof TensorError) return E.left(`image samples large enough for its ${window} window`);
    throw error;
  }
};

/**
 * An ONNX windowed operator (Conv, MaxPool, AveragePool), which computes channels-first,
 * on channels-last images: transposed to NCHW, the operator with the geometry's window,
 * strides and explicit padding (TensorFlow's uneven `same` included), and transposed
 * back. Returns the output's name.
 *
 * @example
 * onnxWindow(nodes, input, 'MaxPool', [], pool2dGeometry('maxPool2d', [1, 26, 26, 32], 2));
 */
export const onnxWindow = (
  nodes: OnnxNodes,
  input: string,
  opType: string,
  operands: readonly string[],
  g: Conv2DGeometry,
  attributes: Readonly<Record<string, OnnxAttribute>> = {},
): string => {
  const channelsFirst = nodes.node('Transpose', [input], { perm: { ints: [0, 3, 1, 2] } });
  const windowed = nodes.node(opType, [channelsFirst, ...operands], {
    kernel_shape: { ints: [g.filterHeight, g.filterWidth] },
    strides: { ints: [g.strideHeight, g.strideWidth] },
    pads: { ints: [g.padTop, g.padLeft, g.padBottom, g.padRight] },
    ...attributes,
  });
  return nodes.node('Transpose', [windowed], { perm: { ints: [0, 2, 3, 1] } });
};
