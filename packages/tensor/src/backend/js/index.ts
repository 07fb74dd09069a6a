import { isComparison, type Backend } from '../backend.js';
import { ByteCodedStorage } from '../byte-coded-storage.js';
import { hostStorage, type Storage } from '../storage.js';
import type { DType, TypedArray, TypedArrayFor } from '../../core/dtype.js';
import { binaryValues, castValues, unaryValues, whereValues } from './elementwise.js';
import { conv2dBackpropFilterValues, conv2dBackpropInputValues, conv2dValues } from './conv.js';
import { matmulValues } from './matmul.js';
import {
  avgPool2dGradValues,
  avgPool2dValues,
  maxPool2dGradGradValues,
  maxPool2dGradValues,
  maxPool2dValues,
} from './pool.js';
import { reduceValues } from './reduce.js';
import {
  concatValues,
  contiguousRun,
  gatherValues,
  oneHotValues,
  padValues,
  scatterAddValues,
  sliceValues,
  transposeValues,
} from './layout.js';
import {
  activationGradValues,
  adamValues,
  denseValues,
  logSoftmaxValues,
  softmaxValues,
  sparseSoftmaxCrossEntropyGradValues,
  sparseSoftmaxCrossEntropyValues,
} from './fused.js';

type FloatArray = Float32Array | Float64Array;

/** Host storage for kernel results, whose dtype the kernel's contract guarantees. */
const store = <D extends DType>(dtype: D, values: TypedArray): Storage<D> =>
  hostStorage(dtype, values as TypedArrayFor[D]);

/** Rows of byte-coded storage, decoded (the gather of a batch from a compact data set). */
const gatherDecoded = (
  x: ByteCodedStorage,
  indices: Int32Array,
  outer: number,
  axisSize: number,
  inner: number,
): Float32Array => {
  const out = new Float32Array(outer * indices.length * inner);
  x.decodeRowsInto(out, 0, indices, outer, axisSize, inner);
  return out;
};

/** The values of storage the op layer has checked to be float. */
const floats = (s: Storage): FloatArray => s.read() as FloatArray;

/**
 * The reference backend: plain TypeScript over typed arrays in host memory. Every other
 * backend is tested against it, and falls back to it for kernels it does not accelerate.
 * Loops are written per op so that no closure runs per element; matmul is packed and
 * register-blocked (see `matmul.ts`), and convolutions run on the same packed product
 * (see `conv.ts`).
 */
export const jsBackend: Backend = {
  name: 'js',
  priority: 0,
  fromHost: (dtype, values) => hostStorage(dtype, values),
  takesHostStorage: true,
  unary: (op, x) => store(x.dtype, unaryValues(op, floats(x))),
  binary: (op, a, aShape, b, bShape, outShape) =>
    store(isComparison(op) ? 'bool' : a.dtype, binaryValues(op, a.read(), aShape, b.read(), bShape, outShape, a.dtype)),
  where: (condition, conditionShape, a, aShape, b, bShape, outShape) =>
    store(
      a.dtype,
      whereValues(condition.read(), conditionShape, a.read(), aShape, b.read(), bShape, outShape, a.dtype),
    ),
  cast: (x, dtype) => store(dtype, castValues(x.read(), dtype)),
  reduce: (op, x, outer, size, inner) => {
    const values = reduceValues(op, x.read(), outer, size, inner);
    return store(op === 'argmax' || op === 'argmin' ? 'int32' : x.dtype, values);
  },
  matmul: (a, b, spec) => store(a.dtype, matmulValues(floats(a), floats(b), spec)),
  transpose: (x, shape, perm) => store(x.dtype, transposeValues(x.read(), shape, perm)),
  slice: (x, shape, begin, size) => {
    const run = x instanceof ByteCodedStorage ? contiguousRun(shape, begin, size) : undefined;
    // Rows of a byte-coded data set stay byte-coded (a validation split, a --limit): no values decoded yet.
    return x instanceof ByteCodedStorage && run !== undefined
      ? x.run(run[0], run[1])
      : store(x.dtype, sliceValues(x.read(), shape, begin, size));
  },
  pad: (x, shape, paddings, value) => store(x.dtype, padValues(x.read(), shape, paddings, value)),
  concat: (xs, outer, sizes, inner) =>
    store(
      xs[0].dtype,
      concatValues(
        xs.map((x) => x.read()),
        outer,
        sizes,
        inner,
      ),
    ),
  gather: (x, indices, outer, axisSize, inner) =>
    x instanceof ByteCodedStorage
      ? store(x.dtype, gatherDecoded(x, indices.read(), outer, axisSize, inner))
      : store(x.dtype, gatherValues(x.read(), indices.read(), outer, axisSize, inner)),
  scatterAdd: (updates, indices, outer, axisSize, inner) =>
    store(updates.dtype, scatterAddValues(floats(updates), indices.read(), outer, axisSize, inner)),
  oneHot: (indices, depth, dtype) => store(dtype, oneHotValues(indices.read(), depth, dtype)),
  softmax: (x, rows, cols) => store(x.dtype, softmaxValues(floats(x), rows, cols)),
  logSoftmax: (x, rows, cols) => store(x.dtype, logSoftmaxValues(floats(x), rows, cols)),
  sparseSoftmaxCrossEntropy: (logits, labels, rows, cols) =>
    store(logits.dtype, sparseSoftmaxCrossEntropyValues(floats(logits), labels.read(), rows, cols)),
  sparseSoftmaxCrossEntropyGrad: (logits, labels, dLoss, rows, cols) =>
    store(logits.dtype, sparseSoftmaxCrossEntropyGradValues(floats(logits), labels.read(), floats(dLoss), rows, cols)),
  dense: (x, w, bias, m, k, n, activation) =>
    store(x.dtype, denseValues(floats(x), floats(w), bias && floats(bias), m, k, n, activation)),
  activationGrad: (activation, dy, y) => store(dy.dtype, activationGradValues(activation, floats(dy), floats(y))),
  adam: (grad, m, v, step) => {
    const result = adamValues(floats(grad), floats(m), floats(v), step);
    return {
      direction: store(grad.dtype, result.direction),
      m: store(grad.dtype, result.m),
      v: store(grad.dtype, result.v),
    };
  },
  conv2d: (x, kernel, geometry) => store(x.dtype, conv2dValues(floats(x), floats(kernel), geometry)),
  conv2dBackpropInput: (dy, kernel, geometry) =>
    store(dy.dtype, conv2dBackpropInputValues(floats(dy), floats(kernel), geometry)),
  conv2dBackpropFilter: (x, dy, geometry) =>
    store(x.dtype, conv2dBackpropFilterValues(floats(x), floats(dy), geometry)),
  maxPool2d: (x, geometry) => store(x.dtype, maxPool2dValues(floats(x), geometry)),
  maxPool2dGrad: (dy, x, geometry) => store(dy.dtype, maxPool2dGradValues(floats(dy), floats(x), geometry)),
  maxPool2dGradGrad: (values, x, geometry) =>
    store(values.dtype, maxPool2dGradGradValues(floats(values), floats(x), geometry)),
  avgPool2d: (x, geometry) => store(x.dtype, avgPool2dValues(floats(x), geometry)),
  avgPool2dGrad: (dy, geometry) => store(dy.dtype, avgPool2dGradValues(floats(dy), geometry)),
};
