import type { Conv2DGeometry, Storage } from '@axon/tensor';
import { checkJob, type WasmRuntime } from '../runtime/runtime.js';
import type { WasmStorage } from '../runtime/resident.js';
import { activationCode } from './codes.js';
import { GEOMETRY_BYTES, PARALLEL_ELEMENTS, writeGeometry } from './geometry.js';
import { runProduct, type Epilogue } from './matmul.js';

// Winograd's F(2×2, 3×3) convolution (see `assembly/conv/winograd.ts`): the kernel
// transformed once per call, then a chunk of images at a time, their input tiles
// transformed (V), the 16 products M[ξ] = V[ξ] · U[ξ] as one batched GEMM job, and the
// output transform with the bias and activation fused. Each job splits its work by
// whole tiles or whole output elements, so results are identical for any thread count.

/**
 * Bytes of transformed tiles, products and packed panels per chunk of images: small
 * enough that a chunk's V and M stay in the caches between the three jobs.
 */
const TILE_BYTES = 1 << 22;

/** Transformed elements per tile: the 4×4 window of F(2×2, 3×3). */
const TILE_ELEMENTS = 16;

/** Channels padded to whole vectors of four, as the transforms lay them out. */
const paddedChannels = (channels: number): number => (channels + 3) & ~3;

const tilesPerImage = (g: Conv2DGeometry): number => Math.ceil(g.outHeight / 2) * Math.ceil(g.outWidth / 2);

/**
 * Fewest input channels for which Winograd's algorithm runs: the depth of its products.
 * Measured on one thread against the product over patches (3×3 kernels, 256 images of
 * 28×28 or 14×14): 0.32x as fast with 1 input channel (the MNIST convnet's first layer),
 * 0.73x with 4, 1.1x with 6, 1.3–1.7x with 8, 1.4–2.5x with 16 to 64; the number of
 * output channels made no difference (1.6–2.6x from 1 to 8 of them).
 */
export const MIN_WINOGRAD_CHANNELS = 8;

/**
 * Whether a convolution runs Winograd's algorithm: a 3×3 kernel at stride 1 without
 * dilation, at least {@link MIN_WINOGRAD_CHANNELS} input channels, and a linear or relu
 * epilogue. Depends on the geometry alone, never on timing.
 */
export const winogradApplies = (g: Conv2DGeometry, epilogue: Epilogue): boolean =>
  g.filterHeight === 3 &&
  g.filterWidth === 3 &&
  g.strideHeight === 1 &&
  g.strideWidth === 1 &&
  g.dilationHeight === 1 &&
  g.dilationWidth === 1 &&
  g.inChannels >= MIN_WINOGRAD_CHANNELS &&
  (epilogue.activation === 'linear' || epilogue.activation === 'relu');

/** Bytes one image's tiles need: V and M, and V again as the GEMM's packed panels. */
const bytesPerImage = (g: Conv2DGeometry): number =>
  TILE_ELEMENTS * tilesPerImage(g) * (2 * paddedChannels(g.inChannels) + paddedChannels(g.outChannels)) * 4;

/**
 * `y = activation(conv2d(x, kernel) + bias)` for a 3×3, stride-1 convolution (see
 * {@link winogradApplies}) by Winograd's F(2×2, 3×3), in float32: not bit-identical to
 * the product over patches (its sums run in another order), but within a few units of
 * rounding of the sum of |x·w| over each tile's window (see `docs/performance.md`), and
 * identical for any number of threads. `tileBytes` bounds a chunk's scratch (tests make
 * it small).
 *
 * @example
 * ```ts
 * const g = conv2dGeometry([1000, 13, 13, 32], [3, 3, 32, 64], {});
 * const y = winogradConv2d(runtime, x, kernel, g, { bias, activation: 'relu' });
 * ```
 */
export const winogradConv2d = (
  runtime: WasmRuntime,
  x: Storage<'float32'>,
  kernel: Storage<'float32'>,
  g: Conv2DGeometry,
  epilogue: Epilogue,
  tileBytes = TILE_BYTES,
): WasmStorage<'float32'> => {
  const { memory, heap, kernels } = runtime;
  const xAt = memory.addressOf(x);
  const kernelAt = memory.addressOf(kernel);
  const biasAt = epilogue.bias === undefined ? 0 : memory.addressOf(epilogue.bias);
  const in4 = paddedChannels(g.inChannels);
  const out4 = paddedChannels(g.outChannels);
  const perImage = tilesPerImage(g);
  const imagesPerChunk = Math.max(1, Math.min(g.batch, Math.floor(tileBytes / bytesPerImage(g))));
  const y = memory.allocate('float32', g.batch * g.outHeight * g.outWidth * g.outChannels);
  const uBytes = TILE_ELEMENTS * in4 * out4 * 4;
  const tiles = imagesPerChunk * perImage;
  const vBytes = TILE_ELEMENTS * tiles * in4 * 4;
  const mBytes = TILE_ELEMENTS * tiles * out4 * 4;
  const panelBytes = kernels.packedBytes(TILE_ELEMENTS, tiles, in4, out4, 1, 1);
  // Last, after every allocation, since it may grow the memory.
  const geometry = heap.scratch(GEOMETRY_BYTES + uBytes + vBytes + mBytes + panelBytes);
  writeGeometry(runtime, geometry, g);
  const u = geometry + GEOMETRY_BYTES;
  const v = u + uBytes;
  const m = v + vBytes;
  const panels = m + mBytes;
  kernels.winogradKernel(kernelAt, g.inChannels, g.outChannels, u);
  for (let first = 0; first < g.batch; first += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, g.batch - first);
    const chunkTiles = images * perImage;
    const parallel = TILE_ELEMENTS * chunkTiles * Math.max(in4, out4) >= PARALLEL_ELEMENTS ? 1 : 0;
    checkJob(kernels.winogradInput(parallel, geometry, xAt, v, first, images));
    // M[ξ] [tiles, out4] = V[ξ] [tiles, in4] · U[ξ] [in4, out4], for the 16 ξ. V is dense
    // (its sums and differences mix the input's zeros away), so no zero-skipping.
    const product = {
      a: v,
      b: u,
      c: m,
      batch: TILE_ELEMENTS,
      m: chunkTiles,
      k: in4,
      n: out4,
      transposeA: false,
      transposeB: false,
      aStride: chunkTiles * in4,
      bStride: in4 * out4,
      bias: 0,
      activation: activationCode.linear,
    };
    runProduct(runtime, product, 'dense', { address: panels, bytes: panelBytes });
    checkJob(
      kernels.winogradOutput(
        parallel,
        geometry,
        m,
        y.address,
        first,
        images,
        biasAt,
        activationCode[epilogue.activation],
      ),
    );
  }
  runtime.convolutions.winograd++;
  return y;
};
