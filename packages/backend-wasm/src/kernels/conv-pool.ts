import type { Conv2DGeometry, Storage } from '@axon/tensor';
import { alignUp } from '../runtime/align.js';
import { checkJob, type WasmRuntime } from '../runtime/runtime.js';
import type { WasmStorage } from '../runtime/resident.js';
import { activationCode } from './codes.js';
import { GEOMETRY_BYTES, PARALLEL_ELEMENTS, writeGeometry } from './geometry.js';
import type { Epilogue } from './matmul.js';
import { winogradApplies } from './winograd.js';

// A convolution and the max pooling of its output in one job (see
// `assembly/conv/conv-pool.ts`): each task computes one row of pooling windows, each
// window's convolution outputs in registers, so the convolution's output never goes out
// to memory. The first layer of the MNIST convnet writes 86.5 MB per 1,000 images there,
// which the pooling then reads back.

/**
 * Whether a convolution (`conv`) and a max pooling of its output (`pool`) run as one
 * job: the pooling's windows tile the convolution's output without overlap or padding,
 * and the convolution would run as a product over patches, whose bits the fused job
 * reproduces (one Winograd's algorithm takes keeps its own two ops). Depends on the
 * geometry alone.
 */
export const convMaxPoolApplies = (
  runtime: WasmRuntime,
  conv: Conv2DGeometry,
  pool: Conv2DGeometry,
  epilogue: Epilogue,
): boolean =>
  !(runtime.winograd && winogradApplies(conv, epilogue)) &&
  pool.strideHeight === pool.filterHeight &&
  pool.strideWidth === pool.filterWidth &&
  pool.dilationHeight === 1 &&
  pool.dilationWidth === 1 &&
  pool.padTop === 0 &&
  pool.padLeft === 0 &&
  pool.outHeight * pool.filterHeight <= pool.inHeight &&
  pool.outWidth * pool.filterWidth <= pool.inWidth;

/**
 * `maxPool2d(activation(conv2d(x, kernel) + bias))` for a convolution and pooling that
 * {@link convMaxPoolApplies} accepts, bit for bit what the convolution and the pooling
 * give one after the other, for any number of threads.
 *
 * @example
 * ```ts
 * const conv = conv2dGeometry([1000, 28, 28, 1], [3, 3, 1, 32], {});
 * const pool = pool2dGeometry('maxPool2d', [1000, 26, 26, 32], 2);
 * const y = convMaxPool(runtime, x, kernel, conv, pool, { bias, activation: 'relu' }); // [1000, 13, 13, 32]
 * ```
 */
export const convMaxPool = (
  runtime: WasmRuntime,
  x: Storage<'float32'>,
  kernel: Storage<'float32'>,
  conv: Conv2DGeometry,
  pool: Conv2DGeometry,
  epilogue: Epilogue,
): WasmStorage<'float32'> => {
  const { memory, heap, kernels } = runtime;
  const xAt = memory.addressOf(x);
  const kernelAt = memory.addressOf(kernel);
  const biasAt = epilogue.bias === undefined ? 0 : memory.addressOf(epilogue.bias);
  const taps = conv.filterHeight * conv.filterWidth * conv.inChannels;
  const n = conv.outChannels;
  const y = memory.allocate('float32', pool.batch * pool.outHeight * pool.outWidth * n);
  // Each thread's scratch on cache lines of its own.
  const panelsBytes = alignUp(kernels.panelsBBytes(taps, n), 64);
  const perThread = alignUp(kernels.convPoolScratchBytes(taps, pool.filterHeight, pool.filterWidth, pool.outWidth), 64);
  // Last, after every allocation, since it may grow the memory.
  const geometry = heap.scratch(GEOMETRY_BYTES + panelsBytes + runtime.threads * perThread);
  writeGeometry(runtime, geometry, conv);
  const panelsB = geometry + GEOMETRY_BYTES;
  const threadScratch = panelsB + panelsBytes;
  kernels.packPanelsB(kernelAt, taps, n, panelsB);
  const parallel = conv.batch * conv.outHeight * conv.outWidth * n >= PARALLEL_ELEMENTS ? 1 : 0;
  checkJob(
    kernels.convMaxPool(
      parallel,
      geometry,
      xAt,
      panelsB,
      biasAt,
      activationCode[epilogue.activation],
      pool.filterHeight,
      pool.filterWidth,
      pool.outHeight,
      pool.outWidth,
      y.address,
      threadScratch,
      perThread,
      conv.batch,
    ),
  );
  runtime.convolutions.maxPooled++;
  return y;
};
