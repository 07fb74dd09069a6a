import { allocate, allocateLike, type DType, type TypedArray } from '../../core/dtype.js';
import { sizeOf, stridesOf, type Shape } from '../../core/shape.js';

/** Output axis `i` is input axis `perm[i]`. */
export const transposeValues = (x: TypedArray, shape: Shape, perm: readonly number[]): TypedArray => {
  const out = allocateLike(x, x.length);
  const rank = shape.length;
  if (rank === 2 && perm[0] === 1) return transpose2d(x, out, shape[0], shape[1]);
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const strides = perm.map((p) => inStrides[p]);
  const counter = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = x[src];
    for (let axis = rank - 1; axis >= 0; axis--) {
      counter[axis]++;
      src += strides[axis];
      if (counter[axis] < outShape[axis]) break;
      src -= strides[axis] * outShape[axis];
      counter[axis] = 0;
    }
  }
  return out;
};

/** Blocked so that both source and destination are touched a cache line at a time. */
const transpose2d = (x: TypedArray, out: TypedArray, rows: number, cols: number): TypedArray => {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = x[r * cols + c];
    }
  }
  return out;
};

/**
 * Copies the box `begin .. begin + size` of `x` into a dense array of shape `size`,
 * a contiguous run of the last axis at a time.
 */
export const sliceValues = (x: TypedArray, shape: Shape, begin: readonly number[], size: Shape): TypedArray => {
  const out = allocateLike(x, sizeOf(size));
  copyBox(x, shape, begin, out, size, new Array<number>(size.length).fill(0), size);
  return out;
};

/**
 * Where the box `begin .. begin + size` of a row-major tensor of `shape` lies when it is
 * one contiguous run of elements (leading axes of extent 1, then any extent, then whole
 * axes): `[first element, length]`; `undefined` otherwise.
 */
export const contiguousRun = (
  shape: Shape,
  begin: readonly number[],
  size: Shape,
): readonly [number, number] | undefined => {
  let axis = 0;
  while (axis < shape.length && size[axis] === 1) axis++;
  for (let a = axis + 1; a < shape.length; a++) if (begin[a] !== 0 || size[a] !== shape[a]) return undefined;
  let offset = 0;
  let stride = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    offset += begin[a] * stride;
    stride *= shape[a];
  }
  return [offset, size.reduce((n, d) => n * d, 1)];
};

/** Pads each axis with `[before, after]` elements equal to `value`. */
export const padValues = (
  x: TypedArray,
  shape: Shape,
  paddings: readonly (readonly [number, number])[],
  value: number,
): TypedArray => {
  const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const out = allocateLike(x, sizeOf(outShape));
  out.fill(value);
  copyBox(
    x,
    shape,
    new Array<number>(shape.length).fill(0),
    out,
    outShape,
    paddings.map((p) => p[0]),
    shape,
  );
  return out;
};

/** Copies a box of `extent` from `src` at `srcBegin` to `dst` at `dstBegin`. */
const copyBox = (
  src: TypedArray,
  srcShape: Shape,
  srcBegin: readonly number[],
  dst: TypedArray,
  dstShape: Shape,
  dstBegin: readonly number[],
  extent: Shape,
): void => {
  const rank = extent.length;
  if (sizeOf(extent) === 0) return;
  if (rank === 0) {
    dst[0] = src[0];
    return;
  }
  const srcStrides = stridesOf(srcShape);
  const dstStrides = stridesOf(dstShape);
  const run = extent[rank - 1];
  const counter = new Array<number>(rank - 1).fill(0);
  let s = srcBegin.reduce((acc, b, i) => acc + b * srcStrides[i], 0);
  let d = dstBegin.reduce((acc, b, i) => acc + b * dstStrides[i], 0);
  const rows = sizeOf(extent) / run;
  for (let r = 0; r < rows; r++) {
    dst.set(src.subarray(s, s + run), d);
    for (let axis = rank - 2; axis >= 0; axis--) {
      counter[axis]++;
      s += srcStrides[axis];
      d += dstStrides[axis];
      if (counter[axis] < extent[axis]) break;
      s -= srcStrides[axis] * extent[axis];
      d -= dstStrides[axis] * extent[axis];
      counter[axis] = 0;
    }
  }
};

/** Joins `[outer, sizes[i], inner]` blocks along the middle axis. */
export const concatValues = (
  xs: readonly TypedArray[],
  outer: number,
  sizes: readonly number[],
  inner: number,
): TypedArray => {
  const total = sizes.reduce((a, b) => a + b, 0);
  const out = allocateLike(xs[0], outer * total * inner);
  let offset = 0;
  xs.forEach((x, t) => {
    const block = sizes[t] * inner;
    for (let o = 0; o < outer; o++) out.set(x.subarray(o * block, (o + 1) * block), o * total * inner + offset);
    offset += block;
  });
  return out;
};

/** `out[o, j, :] = x[o, indices[j], :]`; indices were checked by the op. */
export const gatherValues = (
  x: TypedArray,
  indices: Int32Array,
  outer: number,
  axisSize: number,
  inner: number,
): TypedArray => {
  const count = indices.length;
  const out = allocateLike(x, outer * count * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const src = (o * axisSize + indices[j]) * inner;
      out.set(x.subarray(src, src + inner), (o * count + j) * inner);
    }
  }
  return out;
};

/** Adds `updates[o, j, :]` into row `indices[j]` of zeros shaped `[outer, axisSize, inner]`. */
export const scatterAddValues = (
  updates: TypedArray,
  indices: Int32Array,
  outer: number,
  axisSize: number,
  inner: number,
): TypedArray => {
  const count = indices.length;
  const out = allocateLike(updates, outer * axisSize * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const dst = (o * axisSize + indices[j]) * inner;
      const src = (o * count + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] += updates[src + i];
    }
  }
  return out;
};

/** One row of `depth` per index, 1 at the index and 0 elsewhere (all 0 when out of range). */
export const oneHotValues = (indices: Int32Array, depth: number, dtype: DType): TypedArray => {
  const out = allocate(dtype, indices.length * depth);
  indices.forEach((index, row) => {
    if (index >= 0 && index < depth) out[row * depth + index] = 1;
  });
  return out;
};
