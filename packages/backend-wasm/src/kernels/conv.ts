import type { Conv2DGeometry, Storage } from '@axon/tensor';
import { checkJob, type WasmRuntime } from '../runtime/runtime.js';
import type { WasmStorage } from '../runtime/resident.js';
import { activationCode, binaryCode } from './codes.js';
import { GEOMETRY_BYTES, geometryFields, PARALLEL_ELEMENTS, writeGeometry } from './geometry.js';
import { runProduct, type Epilogue } from './matmul.js';
import { winogradApplies, winogradConv2d } from './winograd.js';

// Convolutions as matrix products over patches (im2col), as the reference backend
// computes them: row `i` of the patch matrix is output pixel `i` (image, row, column),
// column `p` tap `(kh, kw, c)`, so the kernel `[fh, fw, in, out]` is the `[taps, out]`
// matrix and the NHWC output the `[pixels, out]` product. The kernels module writes the
// patches (or adds patch gradients back, col2im) as parallel jobs and multiplies with
// the GEMM job; images go a chunk at a time so the patches stay within a bounded scratch.

/** Bytes of patches per chunk of images (the kernels' last argument; tests make it small). A training batch of the MNIST convnet (17.8 MB for its second layer) is one chunk. */
const PATCH_BYTES = 1 << 25;

const tapsOf = (g: Conv2DGeometry): number => g.filterHeight * g.filterWidth * g.inChannels;

/** Images per chunk: as many as keep the chunk's patches within {@link PATCH_BYTES}, at least one. Depends on the geometry alone. */
const imagesPerChunk = (g: Conv2DGeometry, patchBytes: number): number =>
  Math.max(1, Math.min(g.batch, Math.floor(patchBytes / (g.outHeight * g.outWidth * tapsOf(g) * 4))));

/** The chunks of a batch: `[first image, images]`. */
const chunksOf = (g: Conv2DGeometry, patchBytes: number): [number, number][] => {
  const per = imagesPerChunk(g, patchBytes);
  return Array.from({ length: Math.ceil(g.batch / per) }, (_, i) => [i * per, Math.min(per, g.batch - i * per)]);
};

/** Scratch for one kernel call: the geometry record, then the patches of one chunk, then `extra` bytes. */
interface ConvScratch {
  readonly geometry: number;
  readonly patches: number;
  readonly extra: number;
}

/** Scratch for one kernel call; the patches go to `keptAt` instead when given (see {@link keepPatches}). */
const convScratch = (
  runtime: WasmRuntime,
  g: Conv2DGeometry,
  chunkBytes: number,
  extraBytes: number,
  keptAt?: number,
): ConvScratch => {
  const patchBytes =
    keptAt === undefined ? imagesPerChunk(g, chunkBytes) * g.outHeight * g.outWidth * tapsOf(g) * 4 : 0;
  // Last, after every allocation, since it may grow the memory.
  const geometry = runtime.heap.scratch(GEOMETRY_BYTES + patchBytes + extraBytes);
  writeGeometry(runtime, geometry, g);
  return {
    geometry,
    patches: keptAt ?? geometry + GEOMETRY_BYTES,
    extra: geometry + GEOMETRY_BYTES + patchBytes,
  };
};

// A training step writes the patches of each convolution's input twice: for the forward
// product and again for the kernel gradient. The forward pass keeps them instead (when a
// batch is one chunk), in blocks of their own, for the gradient of the same input: keyed
// by the input's storage object, whose values never change while it lives, and the
// geometry. The most recent ones are kept, within KEPT_BYTES.

/** Most bytes of patches kept (a training step of the MNIST convnet keeps 17.8 + 3.1 MB). */
const KEPT_BYTES = 1 << 25;

interface KeptPatches {
  readonly x: Storage;
  readonly geometry: string;
  readonly address: number;
  readonly bytes: number;
}

/** Per runtime, the patches kept, oldest first. */
const keptByRuntime = new WeakMap<WasmRuntime, KeptPatches[]>();

const geometryKey = (g: Conv2DGeometry): string => geometryFields(g).join(',');

/** The kept patches of `x` for `g`, if any. */
const keptPatches = (runtime: WasmRuntime, x: Storage, g: Conv2DGeometry): KeptPatches | undefined => {
  const key = geometryKey(g);
  return keptByRuntime.get(runtime)?.find((e) => e.x === x && e.geometry === key);
};

/**
 * A block to keep the patches of `x` for `g` in (the oldest kept patches given up until
 * they fit), or undefined when they are larger than {@link KEPT_BYTES}.
 */
const keepPatches = (runtime: WasmRuntime, x: Storage, g: Conv2DGeometry): KeptPatches | undefined => {
  const bytes = g.batch * g.outHeight * g.outWidth * tapsOf(g) * 4;
  if (bytes > KEPT_BYTES) return undefined;
  const kept = keptByRuntime.get(runtime) ?? [];
  keptByRuntime.set(runtime, kept);
  let total = kept.reduce((sum, e) => sum + e.bytes, 0);
  while (kept.length > 0 && total + bytes > KEPT_BYTES) {
    const [oldest] = kept.splice(0, 1);
    runtime.heap.release(oldest.address, oldest.bytes);
    total -= oldest.bytes;
  }
  const entry = { x, geometry: geometryKey(g), address: runtime.heap.allocate(bytes), bytes };
  kept.push(entry);
  return entry;
};

/** Room for a product's packed panels (the GEMM job packs at most both operands whole). */
const panelBytes = (runtime: WasmRuntime, m: number, k: number, n: number): number =>
  runtime.kernels.packedBytes(1, m, k, n, 0, 0);

/** The product's epilogue as the GEMM job takes it: a bias address (0 for none) and an activation code. */
interface EpilogueArgs {
  readonly bias: number;
  readonly activation: number;
}

const noEpilogue: EpilogueArgs = { bias: 0, activation: 0 };

/**
 * Runs one product `C = epilogue(op(A) · op(B))` ([m, k] by [k, n]) with its panels at
 * `panels`: dense, or skipping A's zeros where it is mostly zeros (the gradients after
 * ReLU and max pooling; bit-identical either way, see `runProduct`).
 */
const product = (
  runtime: WasmRuntime,
  a: number,
  b: number,
  c: number,
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
  panels: number,
  epilogue: EpilogueArgs = noEpilogue,
): void => {
  const job = { a, b, c, batch: 1, m, k, n, transposeA, transposeB, aStride: 0, bStride: 0, ...epilogue };
  runProduct(runtime, job, undefined, { address: panels, bytes: panelBytes(runtime, m, k, n) });
};

/** Writes the patches of images `first .. first + images − 1` of `x` at `patches`. */
const writePatches = (
  runtime: WasmRuntime,
  scratch: ConvScratch,
  x: number,
  g: Conv2DGeometry,
  first: number,
  images: number,
): void => {
  const parallel = images * g.outHeight * g.outWidth * tapsOf(g) >= PARALLEL_ELEMENTS ? 1 : 0;
  checkJob(runtime.kernels.convPatches(parallel, scratch.geometry, x, scratch.patches, first, images));
};

/**
 * `y = activation(patches(x) · kernel + bias)`, NHWC, in float32 (each element summed in
 * tap order within the GEMM's blocks of k, then the bias added and the activation
 * applied as the GEMM finishes each block, so no second pass over `y`), identical for
 * any number of threads. The epilogue is none unless given. Where the runtime allows it
 * and the geometry suits it (`winogradApplies`), Winograd's algorithm computes it instead,
 * in training as in inference: its savings outweigh the patches the kernel gradient then
 * writes itself (see `docs/performance.md`).
 *
 * @example
 * ```ts
 * const y = conv2d(runtime, x, kernel, conv2dGeometry(x.shape, kernel.shape, { padding: 'same' }));
 * const hidden = conv2d(runtime, x, kernel, g, { bias, activation: 'relu' });
 * ```
 */
export const conv2d = (
  runtime: WasmRuntime,
  x: Storage<'float32'>,
  kernel: Storage<'float32'>,
  g: Conv2DGeometry,
  epilogue: Epilogue = { activation: 'linear' },
  patchBytes = PATCH_BYTES,
): WasmStorage<'float32'> => {
  if (runtime.winograd && winogradApplies(g, epilogue)) return winogradConv2d(runtime, x, kernel, g, epilogue);
  const { memory } = runtime;
  const xAt = memory.addressOf(x);
  const kernelAt = memory.addressOf(kernel);
  const epilogueArgs: EpilogueArgs = {
    bias: epilogue.bias === undefined ? 0 : memory.addressOf(epilogue.bias),
    activation: activationCode[epilogue.activation],
  };
  const n = g.outChannels;
  const pixelsPerImage = g.outHeight * g.outWidth;
  const y = memory.allocate('float32', g.batch * pixelsPerImage * n);
  const taps = tapsOf(g);
  const chunks = chunksOf(g, patchBytes);
  const found = chunks.length === 1 ? keptPatches(runtime, x, g) : undefined;
  const kept = found ?? (chunks.length === 1 ? keepPatches(runtime, x, g) : undefined);
  const scratch = convScratch(
    runtime,
    g,
    patchBytes,
    panelBytes(runtime, imagesPerChunk(g, patchBytes) * pixelsPerImage, taps, n),
    kept?.address,
  );
  for (const [first, images] of chunks) {
    if (found === undefined) writePatches(runtime, scratch, xAt, g, first, images);
    product(
      runtime,
      scratch.patches,
      kernelAt,
      y.address + first * pixelsPerImage * n * 4,
      images * pixelsPerImage,
      taps,
      n,
      false,
      false,
      scratch.extra,
      epilogueArgs,
    );
  }
  runtime.convolutions.im2col++;
  return y;
};

/**
 * `dx = col2im(dy · kernelᵀ)`: each pixel's patch gradient added back onto the input
 * elements it was read from, image by image in a fixed order.
 *
 * @example
 * ```ts
 * const dx = conv2dBackpropInput(runtime, dy, kernel, g);
 * ```
 */
export const conv2dBackpropInput = (
  runtime: WasmRuntime,
  dy: Storage<'float32'>,
  kernel: Storage<'float32'>,
  g: Conv2DGeometry,
  patchBytes = PATCH_BYTES,
): WasmStorage<'float32'> => {
  const { memory, kernels } = runtime;
  const dyAt = memory.addressOf(dy);
  const kernelAt = memory.addressOf(kernel);
  const n = g.outChannels;
  const pixelsPerImage = g.outHeight * g.outWidth;
  const dx = memory.allocate('float32', g.batch * g.inHeight * g.inWidth * g.inChannels);
  const taps = tapsOf(g);
  const scratch = convScratch(
    runtime,
    g,
    patchBytes,
    panelBytes(runtime, imagesPerChunk(g, patchBytes) * pixelsPerImage, n, taps),
  );
  for (const [first, images] of chunksOf(g, patchBytes)) {
    // Patch gradients [pixels, taps] = dy [pixels, out] · kernelᵀ [out, taps].
    product(
      runtime,
      dyAt + first * pixelsPerImage * n * 4,
      kernelAt,
      scratch.patches,
      images * pixelsPerImage,
      n,
      taps,
      false,
      true,
      scratch.extra,
    );
    const parallel = images * g.inHeight * g.inWidth * g.inChannels >= PARALLEL_ELEMENTS ? 1 : 0;
    checkJob(kernels.col2im(parallel, scratch.geometry, scratch.patches, dx.address, first, images));
  }
  return dx;
};

/**
 * `dKernel = patches(x)ᵀ · dy`, summed over the batch a chunk of images at a time (the
 * chunks' products added in order). When there are more taps than output channels it is
 * computed as its transpose, `dyᵀ · patches` ([out, taps]), then transposed: the product
 * then packs `dyᵀ` (out × pixels) instead of the larger `patchesᵀ` (taps × pixels, read
 * across rows) and streams the patches in place (the MNIST convnet's second layer:
 * 25 → 20 ms on one thread). Each element is the same chain of multiply-adds over the
 * pixels in order either way (a product of two floats does not depend on their order),
 * so the bits are those of `patchesᵀ · dy`.
 *
 * @example
 * ```ts
 * const dKernel = conv2dBackpropFilter(runtime, x, dy, g);
 * ```
 */
export const conv2dBackpropFilter = (
  runtime: WasmRuntime,
  x: Storage<'float32'>,
  dy: Storage<'float32'>,
  g: Conv2DGeometry,
  patchBytes = PATCH_BYTES,
): WasmStorage<'float32'> => {
  const { memory, kernels, heap } = runtime;
  const xAt = memory.addressOf(x);
  const dyAt = memory.addressOf(dy);
  const n = g.outChannels;
  const pixelsPerImage = g.outHeight * g.outWidth;
  const taps = tapsOf(g);
  const dKernel = memory.allocate('float32', taps * n);
  const chunks = chunksOf(g, patchBytes);
  const kernelBytes = taps * n * 4;
  const transpose = taps > n;
  // The sum (transposed, or the result itself), then each later chunk's product.
  const sumBytes = transpose ? kernelBytes : 0;
  const partialBytes = chunks.length > 1 ? kernelBytes : 0;
  const pixels = imagesPerChunk(g, patchBytes) * pixelsPerImage;
  const kept = chunks.length === 1 ? keptPatches(runtime, x, g) : undefined;
  const scratch = convScratch(
    runtime,
    g,
    patchBytes,
    sumBytes + partialBytes + (transpose ? panelBytes(runtime, n, pixels, taps) : panelBytes(runtime, taps, pixels, n)),
    kept?.address,
  );
  const sum = transpose ? scratch.extra : dKernel.address;
  const partial = scratch.extra + sumBytes;
  const panels = partial + partialBytes;
  chunks.forEach(([first, images], i) => {
    if (kept === undefined) writePatches(runtime, scratch, xAt, g, first, images);
    const chunkDy = dyAt + first * pixelsPerImage * n * 4;
    const target = i === 0 ? sum : partial;
    const rows = images * pixelsPerImage;
    // dKernelᵀ [out, taps] = dyᵀ [out, pixels] · patches [pixels, taps], or
    // dKernel [taps, out] = patchesᵀ [taps, pixels] · dy [pixels, out].
    if (transpose) product(runtime, chunkDy, scratch.patches, target, n, rows, taps, true, false, panels);
    else product(runtime, scratch.patches, chunkDy, target, taps, rows, n, true, false, panels);
    if (i > 0) kernels.binary(binaryCode.add, 1, taps * n, sum, taps * n, 1, partial, taps * n, 1, sum);
  });
  if (transpose) {
    const from = heap.f32.subarray(sum >> 2, (sum >> 2) + taps * n);
    const to = memory.viewOf(dKernel);
    for (let o = 0; o < n; o++) for (let t = 0; t < taps; t++) to[t * n + o] = from[o * taps + t];
  }
  return dKernel;
};
