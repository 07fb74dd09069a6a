/**
 * The transforms of a Winograd F(2×2, 3×3) convolution (Lavin & Gray, 2015): a 3×3,
 * stride-1 convolution computed per tile of 2×2 outputs from the tile's 4×4 window of
 * input as `Y = Aᵀ [Σ_c (G g Gᵀ) ⊙ (Bᵀ d B)] A`, which takes 16 multiplies per tile and
 * channel pair instead of 36. With
 *
 *   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],
 *   G  = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
 *   Aᵀ = [1 1 1 0; 0 1 −1 −1],
 *
 * the transforms are additions (and halvings, which are exact), and the sums over
 * channels are 16 independent matrix products, one per element ξ of the 4×4 transformed
 * tile, which the GEMM job computes: `M[ξ] = V[ξ] · U[ξ]` ([tiles, in] by [in, out]).
 *
 * Layouts (channels padded with zeros to whole vectors, `in4` and `out4`):
 * - `U[ξ][c][f]`, the transformed kernel: 16 matrices [in4, out4];
 * - `V[ξ][t][c]`, the transformed input tiles of a chunk of images: 16 matrices [tiles, in4],
 *   written straight in the GEMM's packed panel layout (a panel of MR tiles holds each
 *   channel's MR values side by side), so the product reads them without packing;
 * - `M[ξ][t][f]`, their products: 16 matrices [tiles, out4].
 * V and M have `rows` rows, at least the tiles, which the host picks so that the 16
 * matrices do not start a multiple of 4 KiB apart: 16 streams that far apart fall in one
 * set of an 8-way L1 cache and evict each other (the output transform ran twice as slow).
 * Tile `t` of a chunk is (image, tile row, tile column) in that order. A window's inputs
 * past the image's edge (padding, or past the last row and column where the output is
 * odd) read as zeros, and a tile's outputs past the output's edge are dropped.
 *
 * Every transform runs four channels at a time; a task is a few whole panels of tiles
 * (input) or a tile row of an image (output), so each element is computed by the same
 * operations whatever the number of threads.
 */
import { control, intArg, NEXT_TASK, setIntArg } from '../threads/control';
import { inChannels, inHeight, inWidth, outChannels, outHeight, outWidth, padLeft, padTop, readGeometry } from './geometry';
import { RELU } from '../elementwise/activation';
import { panelRows } from '../gemm/gemm';
import { MR } from '../gemm/microkernel';
import { loadLanes, storeLanes } from '../elementwise/partial-vector';

const GEOMETRY = 0, SOURCE = 1, TARGET = 2, FIRST_IMAGE = 3, IMAGES = 4, ROWS = 5, BIAS = 6, ACTIVATION = 7;

/** Tiles of 2 outputs along an axis of `size` outputs. */
@inline function tilesAlong(size: i32): i32 {
  return (size + 1) >> 1;
}

/** Channels padded to whole vectors of four. */
@inline function paddedChannels(channels: i32): i32 {
  return (channels + 3) & ~3;
}

/**
 * `U = G g Gᵀ` for every channel pair of a 3×3 kernel `[3, 3, in, out]` at `kernel`,
 * into `u` as 16 matrices [in4, out4], `uStride` floats apart (padding zero). Small
 * (in × out × 9 floats), so it runs on the calling thread.
 */
export function winogradKernel(kernel: usize, channelsIn: i32, channelsOut: i32, u: usize, uStride: i32): void {
  const out4 = paddedChannels(channelsOut);
  const matrixBytes = <usize>uStride << 2;
  memory.fill(u, 0, matrixBytes << 4);
  const tap = <usize>(channelsIn * channelsOut) << 2;
  const half = f32x4.splat(0.5);
  for (let c = 0; c < channelsIn; c++) {
    for (let f = 0; f < channelsOut; f += 4) {
      const lanes = min(4, channelsOut - f);
      const g = kernel + (<usize>(c * channelsOut + f) << 2);
      // Rows of G applied down each kernel column j: s0 = g0, s1 = (g0 + g1 + g2)/2, s2 = (g0 − g1 + g2)/2, s3 = g2.
      const g00 = loadLanes(g, lanes), g01 = loadLanes(g + tap, lanes), g02 = loadLanes(g + 2 * tap, lanes);
      const g10 = loadLanes(g + 3 * tap, lanes), g11 = loadLanes(g + 4 * tap, lanes), g12 = loadLanes(g + 5 * tap, lanes);
      const g20 = loadLanes(g + 6 * tap, lanes), g21 = loadLanes(g + 7 * tap, lanes), g22 = loadLanes(g + 8 * tap, lanes);
      const s10 = f32x4.mul(f32x4.add(f32x4.add(g00, g10), g20), half);
      const s11 = f32x4.mul(f32x4.add(f32x4.add(g01, g11), g21), half);
      const s12 = f32x4.mul(f32x4.add(f32x4.add(g02, g12), g22), half);
      const s20 = f32x4.mul(f32x4.add(f32x4.sub(g00, g10), g20), half);
      const s21 = f32x4.mul(f32x4.add(f32x4.sub(g01, g11), g21), half);
      const s22 = f32x4.mul(f32x4.add(f32x4.sub(g02, g12), g22), half);
      const at = u + (<usize>(c * out4 + f) << 2);
      kernelRow(at, matrixBytes, g00, g01, g02);
      kernelRow(at + 4 * matrixBytes, matrixBytes, s10, s11, s12);
      kernelRow(at + 8 * matrixBytes, matrixBytes, s20, s21, s22);
      kernelRow(at + 12 * matrixBytes, matrixBytes, g20, g21, g22);
    }
  }
}

/** One row `(s0, s1, s2)` of `G g` times Gᵀ: the four elements ξ = 4i .. 4i + 3 of U, `step` bytes apart. */
@inline function kernelRow(at: usize, step: usize, s0: v128, s1: v128, s2: v128): void {
  const half = f32x4.splat(0.5);
  v128.store(at, s0);
  v128.store(at + step, f32x4.mul(f32x4.add(f32x4.add(s0, s1), s2), half));
  v128.store(at + 2 * step, f32x4.mul(f32x4.add(f32x4.sub(s0, s1), s2), half));
  v128.store(at + 3 * step, s2);
}

/**
 * Writes an input-transform job (`source`: the batch's input, `target`: V) or an
 * output-transform job (`source`: M, `target`: the batch's output, with `bias` 0 or the
 * address of `out` floats and `activation` linear or relu), for images `firstImage ..
 * firstImage + images − 1` of the batch, whose V and M matrices have `rows` rows (at least
 * their tiles).
 */
export function writeWinogradJob(
  geometry: usize, source: usize, target: usize, firstImage: i32, images: i32, rows: i32, bias: usize, activation: i32,
): void {
  setIntArg(GEOMETRY, <i32>geometry); setIntArg(SOURCE, <i32>source); setIntArg(TARGET, <i32>target);
  setIntArg(FIRST_IMAGE, firstImage); setIntArg(IMAGES, images);
  setIntArg(ROWS, rows); setIntArg(BIAS, <i32>bias); setIntArg(ACTIVATION, activation);
  store<i32>(control + NEXT_TASK, 0);
}

/** The input's four channels at (iy, ix) of an image (`lanes` of them at the last channels), zeros outside it. */
@inline function inputAt(image: usize, iy: i32, ix: i32, lanes: i32): v128 {
  if (iy < 0 || iy >= inHeight || ix < 0 || ix >= inWidth) return f32x4.splat(0);
  return loadLanes(image + (<usize>((iy * inWidth + ix) * inChannels) << 2), lanes);
}

/** Four channels of a tile into V's packed panel: one step (channel) of a panel holds its `MR` tiles. */
@inline function storeChannels(at: usize, v: v128): void {
  v128.store32_lane(at, v, 0);
  v128.store32_lane(at, v, 1, MR * 4);
  v128.store32_lane(at, v, 2, MR * 8);
  v128.store32_lane(at, v, 3, MR * 12);
}

/** `(d0, d1, d2, d3)` (a row of four) times B stored at `at`, `step` bytes apart: `(d0 − d2, d1 + d2, d2 − d1, d1 − d3)`. */
@inline function storeTimesB(at: usize, step: usize, d0: v128, d1: v128, d2: v128, d3: v128): void {
  storeChannels(at, f32x4.sub(d0, d2));
  storeChannels(at + step, f32x4.add(d1, d2));
  storeChannels(at + 2 * step, f32x4.sub(d2, d1));
  storeChannels(at + 3 * step, f32x4.sub(d1, d3));
}

/**
 * `Bᵀ d B` of a window whose columns are `(a_j, b_j, c_j, d_j)` stored at `at`, element ξ
 * `ξ · step` bytes on: Bᵀ times each column, then each resulting row times B.
 */
@inline function storeWindow(
  at: usize, step: usize,
  a0: v128, b0: v128, c0: v128, d0: v128, a1: v128, b1: v128, c1: v128, d1: v128,
  a2: v128, b2: v128, c2: v128, d2: v128, a3: v128, b3: v128, c3: v128, d3: v128,
): void {
  const t00 = f32x4.sub(a0, c0), t10 = f32x4.add(b0, c0), t20 = f32x4.sub(c0, b0), t30 = f32x4.sub(b0, d0);
  const t01 = f32x4.sub(a1, c1), t11 = f32x4.add(b1, c1), t21 = f32x4.sub(c1, b1), t31 = f32x4.sub(b1, d1);
  const t02 = f32x4.sub(a2, c2), t12 = f32x4.add(b2, c2), t22 = f32x4.sub(c2, b2), t32 = f32x4.sub(b2, d2);
  const t03 = f32x4.sub(a3, c3), t13 = f32x4.add(b3, c3), t23 = f32x4.sub(c3, b3), t33 = f32x4.sub(b3, d3);
  storeTimesB(at, step, t00, t01, t02, t03);
  storeTimesB(at + 4 * step, step, t10, t11, t12, t13);
  storeTimesB(at + 8 * step, step, t20, t21, t22, t23);
  storeTimesB(at + 12 * step, step, t30, t31, t32, t33);
}

/**
 * Tiles per task of an input transform: whole panels, so that two threads never write
 * the same panel (its tiles share cache lines; tasks of a tile row each, which split
 * panels, ran the job on two threads at twice the CPU time of one).
 */
const INPUT_TASK_TILES: i32 = 4 * MR;

/** Claims and runs tasks of the posted input-transform job: {@link INPUT_TASK_TILES} consecutive tiles each. */
export function winogradInputWork(): void {
  readGeometry(<usize>intArg(GEOMETRY));
  const x = <usize>intArg(SOURCE), v = <usize>intArg(TARGET), firstImage = intArg(FIRST_IMAGE), images = intArg(IMAGES);
  const tileRows = tilesAlong(outHeight), tileColumns = tilesAlong(outWidth);
  const in4 = paddedChannels(inChannels);
  // Bytes between the 16 matrices of V, each whole panels of MR tiles.
  const matrixBytes = <usize>(panelRows(intArg(ROWS)) * in4) << 2;
  const pixel = <usize>inChannels << 2, row = <usize>inWidth * pixel;
  const imageBytes = <usize>inHeight * row;
  const perImage = tileRows * tileColumns, tiles = images * perImage;
  const tasks = (tiles + INPUT_TASK_TILES - 1) / INPUT_TASK_TILES;
  for (let task = atomic.add<i32>(control + NEXT_TASK, 1); task < tasks; task = atomic.add<i32>(control + NEXT_TASK, 1)) {
    const last = min(tiles, (task + 1) * INPUT_TASK_TILES);
    for (let tile = task * INPUT_TASK_TILES; tile < last; tile++) {
      const local = tile / perImage, ty = tile % perImage / tileColumns, tx = tile % tileColumns;
      const image = x + <usize>(firstImage + local) * imageBytes;
      const top = 2 * ty - padTop, left = 2 * tx - padLeft;
      // Most windows lie inside the image: their whole vectors are read without checks.
      const inside = top >= 0 && top + 4 <= inHeight && left >= 0 && left + 4 <= inWidth;
      let at = v + (<usize>((tile / MR * in4) * MR + tile % MR) << 2);
      for (let c = 0; c < in4; c += 4) {
        const lanes = min(4, inChannels - c);
        const from = image + (<usize>c << 2);
        if (inside && lanes == 4) {
          const p0 = from + <usize>top * row + <usize>left * pixel, p1 = p0 + row, p2 = p1 + row, p3 = p2 + row;
          storeWindow(
            at, matrixBytes,
            v128.load(p0), v128.load(p1), v128.load(p2), v128.load(p3),
            v128.load(p0 + pixel), v128.load(p1 + pixel), v128.load(p2 + pixel), v128.load(p3 + pixel),
            v128.load(p0 + 2 * pixel), v128.load(p1 + 2 * pixel), v128.load(p2 + 2 * pixel), v128.load(p3 + 2 * pixel),
            v128.load(p0 + 3 * pixel), v128.load(p1 + 3 * pixel), v128.load(p2 + 3 * pixel), v128.load(p3 + 3 * pixel),
          );
        } else {
          storeWindow(
            at, matrixBytes,
            inputAt(from, top, left, lanes), inputAt(from, top + 1, left, lanes),
            inputAt(from, top + 2, left, lanes), inputAt(from, top + 3, left, lanes),
            inputAt(from, top, left + 1, lanes), inputAt(from, top + 1, left + 1, lanes),
            inputAt(from, top + 2, left + 1, lanes), inputAt(from, top + 3, left + 1, lanes),
            inputAt(from, top, left + 2, lanes), inputAt(from, top + 1, left + 2, lanes),
            inputAt(from, top + 2, left + 2, lanes), inputAt(from, top + 3, left + 2, lanes),
            inputAt(from, top, left + 3, lanes), inputAt(from, top + 1, left + 3, lanes),
            inputAt(from, top + 2, left + 3, lanes), inputAt(from, top + 3, left + 3, lanes),
          );
        }
        at += MR * 16;
      }
    }
  }
}

/** The first and second elements of `(m0, m1, m2, m3)` times A: `m0 + m1 + m2` and `m1 − m2 − m3`. */
@inline function firstTimesA(m0: v128, m1: v128, m2: v128): v128 {
  return f32x4.add(f32x4.add(m0, m1), m2);
}

@inline function secondTimesA(m1: v128, m2: v128, m3: v128): v128 {
  return f32x4.sub(f32x4.sub(m1, m2), m3);
}

/** `activation(z + b)` stored at `at`: `f32x4.max` keeps NaN and maps −0 to +0, like the GEMM's epilogue and the reference relu. */
@inline function finish(at: usize, z: v128, b: v128, relu: bool, lanes: i32): void {
  const biased = f32x4.add(z, b);
  storeLanes(at, relu ? f32x4.max(biased, f32x4.splat(0)) : biased, lanes);
}

/**
 * Claims and runs tasks of the posted output-transform job: one tile row of one image
 * each, every output `activation(Aᵀ M A + bias)`, the bias added and the activation
 * applied after the transform, as the GEMM's epilogue does after its sum.
 */
export function winogradOutputWork(): void {
  readGeometry(<usize>intArg(GEOMETRY));
  const m = <usize>intArg(SOURCE), y = <usize>intArg(TARGET), firstImage = intArg(FIRST_IMAGE), images = intArg(IMAGES);
  const bias = <usize>intArg(BIAS), relu = intArg(ACTIVATION) == RELU;
  const tileRows = tilesAlong(outHeight), tileColumns = tilesAlong(outWidth);
  const out4 = paddedChannels(outChannels);
  const matrixBytes = <usize>(intArg(ROWS) * out4) << 2;
  const rowBytes = <usize>(outWidth * outChannels) << 2;
  const imageBytes = <usize>outHeight * rowBytes;
  const pixelBytes = <usize>outChannels << 2;
  const rows4: usize = 4 * matrixBytes, rows8: usize = 8 * matrixBytes, rows12: usize = 12 * matrixBytes;
  const tasks = images * tileRows;
  for (let task = atomic.add<i32>(control + NEXT_TASK, 1); task < tasks; task = atomic.add<i32>(control + NEXT_TASK, 1)) {
    const ty = task % tileRows;
    const image = y + <usize>(firstImage + task / tileRows) * imageBytes;
    // The tile's second row or column falls off an odd output.
    const rows = min(2, outHeight - 2 * ty);
    for (let tx = 0; tx < tileColumns; tx++) {
      const columns = min(2, outWidth - 2 * tx);
      let at = m + (<usize>((task * tileColumns + tx) * out4) << 2);
      const corner = image + <usize>(2 * ty) * rowBytes + (<usize>(2 * tx * outChannels) << 2);
      for (let f = 0; f < out4; f += 4) {
        const lanes = min(4, outChannels - f);
        const f4 = <usize>f << 2;
        const b = bias != 0 ? loadLanes(bias + f4, lanes) : f32x4.splat(0);
        // Aᵀ times each column of M, then each resulting row times A.
        let q = at;
        const m00 = v128.load(q), m10 = v128.load(q + rows4), m20 = v128.load(q + rows8), m30 = v128.load(q + rows12);
        const r00 = firstTimesA(m00, m10, m20), r10 = secondTimesA(m10, m20, m30);
        q += matrixBytes;
        const m01 = v128.load(q), m11 = v128.load(q + rows4), m21 = v128.load(q + rows8), m31 = v128.load(q + rows12);
        const r01 = firstTimesA(m01, m11, m21), r11 = secondTimesA(m11, m21, m31);
        q += matrixBytes;
        const m02 = v128.load(q), m12 = v128.load(q + rows4), m22 = v128.load(q + rows8), m32 = v128.load(q + rows12);
        const r02 = firstTimesA(m02, m12, m22), r12 = secondTimesA(m12, m22, m32);
        q += matrixBytes;
        const m03 = v128.load(q), m13 = v128.load(q + rows4), m23 = v128.load(q + rows8), m33 = v128.load(q + rows12);
        const r03 = firstTimesA(m03, m13, m23), r13 = secondTimesA(m13, m23, m33);
        const to = corner + f4;
        if (rows == 2 && columns == 2 && lanes == 4) {
          // A whole tile of whole vectors, as most are.
          const zero = f32x4.splat(0);
          let z00 = f32x4.add(firstTimesA(r00, r01, r02), b), z01 = f32x4.add(secondTimesA(r01, r02, r03), b);
          let z10 = f32x4.add(firstTimesA(r10, r11, r12), b), z11 = f32x4.add(secondTimesA(r11, r12, r13), b);
          if (relu) {
            z00 = f32x4.max(z00, zero); z01 = f32x4.max(z01, zero);
            z10 = f32x4.max(z10, zero); z11 = f32x4.max(z11, zero);
          }
          v128.store(to, z00); v128.store(to + pixelBytes, z01);
          v128.store(to + rowBytes, z10); v128.store(to + rowBytes + pixelBytes, z11);
        } else {
          finish(to, firstTimesA(r00, r01, r02), b, relu, lanes);
          if (columns > 1) finish(to + pixelBytes, secondTimesA(r01, r02, r03), b, relu, lanes);
          if (rows > 1) {
            finish(to + rowBytes, firstTimesA(r10, r11, r12), b, relu, lanes);
            if (columns > 1) finish(to + rowBytes + pixelBytes, secondTimesA(r11, r12, r13), b, relu, lanes);
          }
        }
        at += 16;
      }
    }
  }
}
