import type { Conv2DGeometry, Storage } from '@axon/tensor';
import { checkJob, type WasmRuntime } from '../runtime/runtime.js';
import type { WasmStorage } from '../runtime/resident.js';
import { activationCode } from './codes.js';
import { GEOMETRY_BYTES, PARALLEL_ELEMENTS, writeGeometry } from './geometry.js';
import { PARALLEL_MATMUL_FLOPS, type Epilogue } from './matmul.js';

// Winograd's F(2×2, 3×3) convolution (see `assembly/conv/winograd.ts`): the kernel
// transformed once per call, then a chunk of images at a time, their input tiles
// transformed (V, written in the GEMM's packed panel layout, which saves the product a
// packing pass), the 16 products M[ξ] = V[ξ] · U[ξ] as one batched GEMM job, and the
// output transform with the bias and activation fused. Each job splits its work by whole
// tiles or whole output elements, so results are identical for any thread count.

/**
 * Bytes of transformed tiles and their products per chunk of images: small enough that a
 * chunk's V and M stay in the caches between the three jobs.
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

/**
 * Rows for the 16 matrices of V and M holding `tiles` tiles: the fewest, at least
 * `tiles`, that make both the rows and V's panels of `panelRows` odd in number, so that
 * matrices whose rows are a power of two of bytes long start an odd multiple of it apart
 * and the 16 fall in 16 different sets of the L1 cache (see `assembly/conv/winograd.ts`).
 */
const spreadRows = (tiles: number, panelRows: number): number => {
  let rows = tiles | 1;
  while (Math.ceil(rows / panelRows) % 2 === 0) rows += 2;
  return rows;
};

/** Floats between U's 16 matrices: one cache line more than a matrix, for the same reason. */
const uStrideOf = (in4: number, out4: number): number => in4 * out4 + 16;

/** Bytes one image's tiles need: V (in the GEMM's packed panels) and M. */
const bytesPerImage = (g: Conv2DGeometry): number =>
  TILE_ELEMENTS * tilesPerImage(g) * (paddedChannels(g.inChannels) + paddedChannels(g.outChannels)) * 4;

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
  const uStride = uStrideOf(in4, out4);
  const uBytes = TILE_ELEMENTS * uStride * 4;
  const panelRows = kernels.panelRows(1);
  const mostRows = spreadRows(imagesPerChunk * perImage, panelRows);
  const vBytes = TILE_ELEMENTS * kernels.panelRows(mostRows) * in4 * 4;
  const mBytes = TILE_ELEMENTS * mostRows * out4 * 4;
  // Room for U's panels that are not read in place (none when out4 is a multiple of 8).
  const panelBytes = kernels.packedBytes(TILE_ELEMENTS, 0, in4, out4, 0, 1);
  // Last, after every allocation, since it may grow the memory.
  const geometry = heap.scratch(GEOMETRY_BYTES + uBytes + vBytes + mBytes + panelBytes);
  writeGeometry(runtime, geometry, g);
  const u = geometry + GEOMETRY_BYTES;
  const v = u + uBytes;
  const m = v + vBytes;
  const panels = m + mBytes;
  kernels.winogradKernel(kernelAt, g.inChannels, g.outChannels, u, uStride);
  for (let first = 0; first < g.batch; first += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, g.batch - first);
    const chunkTiles = images * perImage;
    const parallel = TILE_ELEMENTS * chunkTiles * Math.max(in4, out4) >= PARALLEL_ELEMENTS ? 1 : 0;
    const rows = spreadRows(chunkTiles, panelRows);
    // Zeros in V's rows past the chunk's tiles, which the product computes and M's
    // transform never reads.
    const vRows = kernels.panelRows(rows);
    const firstPadded = Math.floor(chunkTiles / panelRows) * panelRows;
    for (let e = 0; e < TILE_ELEMENTS; e++)
      heap.f32.fill(0, (v >> 2) + (e * vRows + firstPadded) * in4, (v >> 2) + (e + 1) * vRows * in4);
    checkJob(kernels.winogradInput(parallel, geometry, xAt, v, first, images, rows));
    // M[ξ] [tiles, out4] = V[ξ] [tiles, in4] · U[ξ] [in4, out4], for the 16 ξ, reading V's
    // panels as they are. V is dense (its sums and differences mix the input's zeros
    // away), so zero-skipping would not pay.
    const flops = 2 * TILE_ELEMENTS * rows * in4 * out4;
    const linear = activationCode.linear;
    checkJob(
      kernels.packedMatmul(
        flops >= PARALLEL_MATMUL_FLOPS ? 1 : 0,
        v,
        u,
        m,
        TILE_ELEMENTS,
        rows,
        in4,
        out4,
        1,
        uStride,
        0,
        linear,
        panels,
      ),
    );
    runtime.products.dense++;
    checkJob(
      kernels.winogradOutput(
        parallel,
        geometry,
        m,
        y.address,
        first,
        images,
        rows,
        biasAt,
        activationCode[epilogue.activation],
      ),
    );
  }
  runtime.convolutions.winograd++;
  return y;
};
