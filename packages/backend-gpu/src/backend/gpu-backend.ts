import { jsBackend, sizeOf, type Backend, type BinaryOp, type Storage } from '@axon/tensor';
import { MAX_DEVICE_ELEMENTS, type Device, type DeviceUsage } from '../device/device.js';
import { HostDevice } from '../device/host-device.js';
import { TextureDevice } from '../device/texture-device.js';
import { createGpu, type GpuJsMode } from '../gpujs/gpujs.js';
import { KernelCache } from '../kernels/cache.js';
import { conv2dBackpropFilterProgram, conv2dBackpropInputProgram, conv2dProgram } from '../kernels/conv.js';
import {
  activationGradProgram,
  adamDirectionProgram,
  adamMomentProgram,
  adamSecondMomentProgram,
  binaryProgram,
  unaryProgram,
  whereProgram,
} from '../kernels/elementwise.js';
import { sliceProgram, transposeProgram } from '../kernels/layout.js';
import { denseProgram, matmulProgram } from '../kernels/matmul.js';
import {
  avgPool2dGradProgram,
  avgPool2dProgram,
  maxPool2dGradGradProgram,
  maxPool2dGradProgram,
  maxPool2dProgram,
} from '../kernels/pool.js';
import { reduceProgram } from '../kernels/reduce.js';
import {
  crossEntropyGradProgram,
  crossEntropyProgram,
  logSoftmaxProgram,
  rowStatisticsProgram,
  softmaxProgram,
} from '../kernels/softmax.js';

/** The gpu.js backend: a {@link Backend} plus the mode it runs in. */
export interface GpuBackend extends Backend {
  /** The gpu.js mode every kernel runs in. */
  readonly mode: GpuJsMode;
  /** Kernels compiled and textures held right now. */
  usage(): DeviceUsage;
}

/** Tuning of a gpu.js backend's memory. */
export interface GpuMemoryOptions {
  /**
   * Bytes of textures that may hold live tensors before the least recently used are
   * moved to host memory (GL modes only; default 512 MiB).
   */
  readonly textureBudgetBytes?: number;
  /** Compiled kernels kept before the least recently used is destroyed (default 128). */
  readonly kernelCacheSize?: number;
}

/** A backend and a way to free its gpu.js instance (for candidates that fail their self-check). */
export interface BuiltGpuBackend {
  readonly backend: GpuBackend;
  readonly release: () => Promise<void>;
}

const comparisons: ReadonlySet<BinaryOp> = new Set([
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
]);

const fits = (size: number): boolean => size > 0 && size <= MAX_DEVICE_ELEMENTS;

/**
 * Whether a kernel over float operands `floats` (and integer or bool operands
 * `others`) producing `outputs` elements runs on the device. gpu.js computes in
 * float32 only, so float64 work (gradient checks) stays on the reference backend
 * in full precision; so do empty tensors, which gpu.js cannot size a kernel for,
 * and tensors past {@link MAX_DEVICE_ELEMENTS}.
 */
const onDevice = (floats: readonly Storage[], others: readonly Storage[], outputs: number): boolean =>
  fits(outputs) && floats.every((s) => s.dtype === 'float32' && fits(s.size)) && others.every((s) => fits(s.size));

/**
 * Builds the gpu.js backend for one mode without checking it (see `createGpuBackend`,
 * which selects and checks a mode).
 *
 * Kernels with GPU implementations: unary, binary, where, reduce, matmul, transpose,
 * slice, softmax, logSoftmax, the fused softmax cross-entropy and its gradient, dense,
 * activationGrad, adam, conv2d with its input and kernel gradients, and max and average
 * pooling with their gradients. The rest (cast, pad, concat, gather, scatterAdd,
 * oneHot) move little data per element and run on the reference backend, reading
 * device values lazily through `Storage.read()`.
 */
export const buildGpuBackend = (mode: GpuJsMode, options: GpuMemoryOptions = {}): BuiltGpuBackend => {
  const gpu = createGpu(mode);
  const usesTextures = mode === 'headlessgl' || mode === 'webgl' || mode === 'webgl2';
  const kernels = new KernelCache(gpu, mode, usesTextures, options.kernelCacheSize ?? 128);
  const device: Device = usesTextures
    ? new TextureDevice(mode, kernels, options.textureBudgetBytes ?? 512 * 2 ** 20)
    : new HostDevice(mode, kernels);

  const backend: GpuBackend = {
    name: 'gpu',
    // Above the CPU backends: an op mixing host and device tensors should pull the host
    // ones onto the device rather than read the device ones back.
    priority: 2,
    mode,
    usage: () => device.usage(),
    // Host values are uploaded when a kernel first needs them, and the texture kept.
    fromHost: (dtype, values) => jsBackend.fromHost(dtype, values),

    unary: (op, x) =>
      onDevice([x], [], x.size) ? device.run(unaryProgram(op, x.size), [x], 'float32') : jsBackend.unary(op, x),

    binary: (op, a, aShape, b, bShape, outShape) =>
      onDevice([a, b], [], sizeOf(outShape))
        ? device.run(binaryProgram(op, aShape, bShape, outShape), [a, b], comparisons.has(op) ? 'bool' : 'float32')
        : jsBackend.binary(op, a, aShape, b, bShape, outShape),

    where: (condition, conditionShape, a, aShape, b, bShape, outShape) =>
      onDevice([a, b], [condition], sizeOf(outShape))
        ? device.run(whereProgram(conditionShape, aShape, bShape, outShape), [condition, a, b], 'float32')
        : jsBackend.where(condition, conditionShape, a, aShape, b, bShape, outShape),

    cast: (x, dtype) => jsBackend.cast(x, dtype),

    reduce: (op, x, outer, size, inner) =>
      onDevice([x], [], outer * inner)
        ? device.run(
            reduceProgram(op, outer, size, inner),
            [x],
            op === 'argmax' || op === 'argmin' ? 'int32' : 'float32',
          )
        : jsBackend.reduce(op, x, outer, size, inner),

    matmul: (a, b, spec) =>
      onDevice([a, b], [], spec.batch * spec.m * spec.n)
        ? device.run(matmulProgram(spec), [a, b], 'float32')
        : jsBackend.matmul(a, b, spec),

    transpose: (x, shape, perm) =>
      onDevice([x], [], x.size)
        ? device.run(transposeProgram(shape, perm), [x], 'float32')
        : jsBackend.transpose(x, shape, perm),

    slice: (x, shape, begin, size) =>
      onDevice([x], [], sizeOf(size))
        ? device.run(sliceProgram(shape, begin, size), [x], 'float32')
        : jsBackend.slice(x, shape, begin, size),

    pad: (x, shape, paddings, value) => jsBackend.pad(x, shape, paddings, value),
    concat: (xs, outer, sizes, inner) => jsBackend.concat(xs, outer, sizes, inner),
    gather: (x, indices, outer, axisSize, inner) => jsBackend.gather(x, indices, outer, axisSize, inner),
    scatterAdd: (updates, indices, outer, axisSize, inner) =>
      jsBackend.scatterAdd(updates, indices, outer, axisSize, inner),
    oneHot: (indices, depth, dtype) => jsBackend.oneHot(indices, depth, dtype),

    softmax: (x, rows, cols) => {
      if (!onDevice([x], [], rows * cols)) return jsBackend.softmax(x, rows, cols);
      const stats = device.run(rowStatisticsProgram(rows, cols), [x], 'float32');
      return device.run(softmaxProgram(rows, cols), [x, stats], 'float32');
    },

    logSoftmax: (x, rows, cols) => {
      if (!onDevice([x], [], rows * cols)) return jsBackend.logSoftmax(x, rows, cols);
      const stats = device.run(rowStatisticsProgram(rows, cols), [x], 'float32');
      return device.run(logSoftmaxProgram(rows, cols), [x, stats], 'float32');
    },

    sparseSoftmaxCrossEntropy: (logits, labels, rows, cols) =>
      onDevice([logits], [labels], rows)
        ? device.run(crossEntropyProgram(rows, cols), [logits, labels], 'float32')
        : jsBackend.sparseSoftmaxCrossEntropy(logits, labels, rows, cols),

    sparseSoftmaxCrossEntropyGrad: (logits, labels, dLoss, rows, cols) => {
      if (!onDevice([logits, dLoss], [labels], rows * cols)) {
        return jsBackend.sparseSoftmaxCrossEntropyGrad(logits, labels, dLoss, rows, cols);
      }
      const stats = device.run(rowStatisticsProgram(rows, cols), [logits], 'float32');
      return device.run(crossEntropyGradProgram(rows, cols), [logits, labels, dLoss, stats], 'float32');
    },

    dense: (x, w, bias, m, k, n, activation) =>
      onDevice(bias === undefined ? [x, w] : [x, w, bias], [], m * n)
        ? device.run(
            denseProgram(m, k, n, bias !== undefined, activation),
            bias === undefined ? [x, w] : [x, w, bias],
            'float32',
          )
        : jsBackend.dense(x, w, bias, m, k, n, activation),

    activationGrad: (activation, dy, y) =>
      onDevice([dy, y], [], dy.size)
        ? device.run(activationGradProgram(activation, dy.size), [dy, y], 'float32')
        : jsBackend.activationGrad(activation, dy, y),

    adam: (grad, m, v, step) => {
      if (!onDevice([grad, m, v], [], grad.size)) return jsBackend.adam(grad, m, v, step);
      const size = grad.size;
      // 1 - beta is formed in double precision here rather than in float32 on the device.
      const mNext = device.run(adamMomentProgram(size), [grad, m, step.beta1, 1 - step.beta1], 'float32');
      const vNext = device.run(adamSecondMomentProgram(size), [grad, v, step.beta2, 1 - step.beta2], 'float32');
      const direction = device.run(
        adamDirectionProgram(size),
        [mNext, vNext, step.correction1, step.correction2, step.epsilon],
        'float32',
      );
      return { direction, m: mNext, v: vNext };
    },

    conv2d: (x, kernel, g) => {
      const size = g.batch * g.outHeight * g.outWidth * g.outChannels;
      return onDevice([x, kernel], [], size)
        ? device.run(conv2dProgram(g), [x, kernel], 'float32')
        : jsBackend.conv2d(x, kernel, g);
    },
    conv2dBackpropInput: (dy, kernel, g) =>
      onDevice([dy, kernel], [], g.batch * g.inHeight * g.inWidth * g.inChannels)
        ? device.run(conv2dBackpropInputProgram(g), [dy, kernel], 'float32')
        : jsBackend.conv2dBackpropInput(dy, kernel, g),
    conv2dBackpropFilter: (x, dy, g) =>
      onDevice([x, dy], [], g.filterHeight * g.filterWidth * g.inChannels * g.outChannels)
        ? device.run(conv2dBackpropFilterProgram(g), [x, dy], 'float32')
        : jsBackend.conv2dBackpropFilter(x, dy, g),
    maxPool2d: (x, g) =>
      onDevice([x], [], g.batch * g.outHeight * g.outWidth * g.inChannels)
        ? device.run(maxPool2dProgram(g), [x], 'float32')
        : jsBackend.maxPool2d(x, g),
    maxPool2dGrad: (dy, x, g) =>
      onDevice([dy, x], [], x.size)
        ? device.run(maxPool2dGradProgram(g), [dy, x], 'float32')
        : jsBackend.maxPool2dGrad(dy, x, g),
    maxPool2dGradGrad: (values, x, g) =>
      onDevice([values, x], [], g.batch * g.outHeight * g.outWidth * g.inChannels)
        ? device.run(maxPool2dGradGradProgram(g), [values, x], 'float32')
        : jsBackend.maxPool2dGradGrad(values, x, g),
    avgPool2d: (x, g) =>
      onDevice([x], [], g.batch * g.outHeight * g.outWidth * g.inChannels)
        ? device.run(avgPool2dProgram(g), [x], 'float32')
        : jsBackend.avgPool2d(x, g),
    avgPool2dGrad: (dy, g) =>
      onDevice([dy], [], g.batch * g.inHeight * g.inWidth * g.inChannels)
        ? device.run(avgPool2dGradProgram(g), [dy], 'float32')
        : jsBackend.avgPool2dGrad(dy, g),
  };
  return { backend, release: () => gpu.destroy() };
};
