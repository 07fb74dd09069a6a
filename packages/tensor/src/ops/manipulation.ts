import { check, showShape } from '../core/error.js';
import { checkShape, normalizeAxis, shapesEqual, sizeOf, type Shape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import type { DType } from '../core/dtype.js';
import { record } from '../autodiff/record.js';
import { unbroadcast } from '../autodiff/unbroadcast.js';
import { backendOf, floatStorageOn, fromStorage, requireInt, scalarLike, storageOn } from './operand.js';

/**
 * The same elements in a new shape (row-major order). One extent may be `-1`, inferred
 * from the others. No values are copied: tensors are immutable, so they share storage.
 *
 * @example
 * ```ts
 * reshape(arange(6), [2, -1]).shape; // [2, 3]
 * ```
 */
export const reshape = <D extends DType>(x: Tensor<D>, shape: Shape): Tensor<D> => {
  const inferred = shape.filter((d) => d === -1).length;
  check(inferred <= 1, 'reshape', () => `${showShape(shape)} infers more than one extent`);
  checkShape(
    'reshape',
    shape.filter((d) => d !== -1),
  );
  const known = sizeOf(shape.filter((d) => d !== -1));
  const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  check(
    sizeOf(resolved) === x.size && resolved.every(Number.isInteger),
    'reshape',
    () => `cannot reshape ${showShape(x.shape)} (${x.size} elements) into ${showShape(shape)}`,
  );
  if (shapesEqual(resolved, x.shape)) return x;
  const out = new Tensor(resolved, x.dtype, x.storage, x.backend);
  return record(out, [x], (g) => [reshape(g, x.shape)]);
};

/** Inserts an axis of extent 1 at `axis`. */
export const expandDims = <D extends DType>(x: Tensor<D>, axis: number): Tensor<D> => {
  const at = normalizeAxis('expandDims', axis, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, at), 1, ...x.shape.slice(at)]);
};

/** Removes axes of extent 1: the given ones, or all of them. */
export const squeeze = <D extends DType>(x: Tensor<D>, axes?: readonly number[]): Tensor<D> => {
  const drop =
    axes === undefined
      ? x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : axes.map((a) => normalizeAxis('squeeze', a, x.rank));
  drop.forEach((a) =>
    check(x.shape[a] === 1, 'squeeze', () => `axis ${a} of ${showShape(x.shape)} has extent ${x.shape[a]}, not 1`),
  );
  return reshape(
    x,
    x.shape.filter((_, i) => !drop.includes(i)),
  );
};

/**
 * Permutes axes: output axis `i` is input axis `perm[i]`. Without `perm`, reverses them
 * (the matrix transpose for rank 2).
 */
export const transpose = <D extends DType>(x: Tensor<D>, perm?: readonly number[]): Tensor<D> => {
  const order = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  check(
    order.length === x.rank && [...order].sort((a, b) => a - b).every((p, i) => p === i),
    'transpose',
    () => `[${order.join(',')}] is not a permutation of the axes of ${showShape(x.shape)}`,
  );
  if (order.every((p, i) => p === i)) return x;
  const outShape = order.map((p) => x.shape[p]);
  // Moving only extent-1 axes keeps the row-major order: a reshape, no copy.
  const moved = order.filter((p) => x.shape[p] !== 1);
  if (moved.every((p, i) => i === 0 || p > moved[i - 1])) return reshape(x, outShape);
  const backend = x.backend;
  const out = fromStorage<D>(backend.transpose(x.storage, x.shape, order), outShape, backend);
  const inverse = order.map((_, i) => order.indexOf(i));
  return record(out, [x], (g) => [transpose(g, inverse)]);
};

/** Repeats `x` along broadcast axes to fill `shape`. */
export const broadcastTo = <D extends DType>(x: Tensor<D>, shape: Shape): Tensor<D> => {
  checkShape('broadcastTo', shape);
  const offset = shape.length - x.rank;
  check(
    offset >= 0 && x.shape.every((d, i) => d === shape[offset + i] || d === 1),
    'broadcastTo',
    () => `${showShape(x.shape)} cannot be broadcast to ${showShape(shape)}`,
  );
  if (shapesEqual(x.shape, shape)) return x;
  if (sizeOf(shape) === x.size) return reshape(x, shape);
  const backend = x.backend;
  const source = storageOn(x, backend);
  const storage = backend.where(
    storageOn(scalarLike(1, 'bool', backend), backend),
    [],
    source,
    x.shape,
    source,
    x.shape,
    shape,
  );
  return record(fromStorage<D>(storage, shape, backend), [x], (g) => [unbroadcast(g, x.shape)]);
};

/**
 * The box starting at `begin` with extents `size` (`-1` runs to the end of the axis).
 *
 * @example
 * ```ts
 * slice(tensor([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, -1]).toArray(); // [[2, 3], [5, 6]]
 * ```
 */
export const slice = <D extends DType>(x: Tensor<D>, begin: readonly number[], size?: readonly number[]): Tensor<D> => {
  check(
    begin.length === x.rank && (size === undefined || size.length === x.rank),
    'slice',
    () =>
      `begin [${begin.join(',')}] and size [${(size ?? []).join(',')}] must each have one entry per axis of ${showShape(x.shape)}`,
  );
  const extent = x.shape.map((d, i) => (size === undefined || size[i] === -1 ? d - begin[i] : size[i]));
  check(
    begin.every(
      (b, i) =>
        Number.isInteger(b) && b >= 0 && Number.isInteger(extent[i]) && extent[i] >= 0 && b + extent[i] <= x.shape[i],
    ),
    'slice',
    () => `begin [${begin.join(',')}] with size [${extent.join(',')}] is out of range for ${showShape(x.shape)}`,
  );
  if (shapesEqual(extent, x.shape)) return x;
  const backend = x.backend;
  const out = fromStorage<D>(backend.slice(x.storage, x.shape, begin, extent), extent, backend);
  return record(out, [x], (g) => [
    pad(
      g,
      x.shape.map((d, i) => [begin[i], d - begin[i] - extent[i]] as const),
    ),
  ]);
};

/**
 * Pads each axis with `[before, after]` elements equal to `value` (default 0).
 */
export const pad = <D extends DType>(
  x: Tensor<D>,
  paddings: readonly (readonly [number, number])[],
  value = 0,
): Tensor<D> => {
  check(
    paddings.length === x.rank &&
      paddings.every(([a, b]) => Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0),
    'pad',
    () =>
      `paddings ${JSON.stringify(paddings)} must give [before, after] non-negative integers for each axis of ${showShape(x.shape)}`,
  );
  if (paddings.every(([a, b]) => a === 0 && b === 0)) return x;
  const backend = x.backend;
  const outShape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const out = fromStorage<D>(backend.pad(x.storage, x.shape, paddings, value), outShape, backend);
  return record(out, [x], (g) => [
    slice(
      g,
      paddings.map(([before]) => before),
      x.shape,
    ),
  ]);
};

/** Joins tensors along an existing axis; all other extents must agree. */
export const concat = <D extends DType>(xs: readonly Tensor<D>[], axis = 0): Tensor<D> => {
  check(xs.length > 0, 'concat', () => 'needs at least one tensor');
  const first = xs[0];
  const at = normalizeAxis('concat', axis, first.rank);
  xs.forEach((x) =>
    check(
      x.dtype === first.dtype && x.rank === first.rank && x.shape.every((d, i) => i === at || d === first.shape[i]),
      'concat',
      () => `cannot join ${xs.map((t) => `${t.dtype}${showShape(t.shape)}`).join(', ')} along axis ${at}`,
    ),
  );
  if (xs.length === 1) return first;
  const backend = backendOf(...xs);
  const sizes = xs.map((x) => x.shape[at]);
  const outer = sizeOf(first.shape.slice(0, at));
  const inner = sizeOf(first.shape.slice(at + 1));
  const outShape = first.shape.map((d, i) => (i === at ? sizes.reduce((a, b) => a + b, 0) : d));
  const storage = backend.concat(
    xs.map((x) => storageOn(x, backend)),
    outer,
    sizes,
    inner,
  );
  const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  return record(fromStorage<D>(storage, outShape, backend), xs, (g, needed) =>
    xs.map((x, i) =>
      needed[i]
        ? slice(
            g,
            outShape.map((_, a) => (a === at ? starts[i] : 0)),
            x.shape,
          )
        : undefined,
    ),
  );
};

/** Joins tensors of one shape along a new axis. */
export const stack = <D extends DType>(xs: readonly Tensor<D>[], axis = 0): Tensor<D> => {
  check(xs.length > 0, 'stack', () => 'needs at least one tensor');
  check(
    xs.every((x) => shapesEqual(x.shape, xs[0].shape)),
    'stack',
    () => `shapes differ: ${xs.map((x) => showShape(x.shape)).join(', ')}`,
  );
  const at = normalizeAxis('stack', axis, xs[0].rank + 1);
  return concat(
    xs.map((x) => expandDims(x, at)),
    at,
  );
};

/**
 * Picks entries along `axis` by int32 `indices` (any shape): the result's shape is
 * `x.shape[:axis] + indices.shape + x.shape[axis+1:]`, as NumPy's `take`.
 *
 * @example
 * ```ts
 * gather(tensor([10, 20, 30]), tensor([2, 0], { dtype: 'int32' })).toArray(); // [30, 10]
 * ```
 */
export const gather = <D extends DType>(x: Tensor<D>, indices: Tensor, axis = 0): Tensor<D> => {
  requireInt('gather', 'indices', indices);
  const at = normalizeAxis('gather', axis, x.rank);
  const axisSize = x.shape[at];
  const bad = (indices as Tensor<'int32'>).values.find((i) => i < 0 || i >= axisSize);
  check(bad === undefined, 'gather', () => `index ${bad} is out of range for axis ${at} of ${showShape(x.shape)}`);
  const backend = backendOf(x, indices);
  const outer = sizeOf(x.shape.slice(0, at));
  const inner = sizeOf(x.shape.slice(at + 1));
  const indexStorage = storageOn(indices as Tensor<'int32'>, backend);
  const outShape = [...x.shape.slice(0, at), ...indices.shape, ...x.shape.slice(at + 1)];
  const out = fromStorage<D>(
    backend.gather(storageOn(x, backend), indexStorage, outer, axisSize, inner),
    outShape,
    backend,
  );
  return record(out, [x], (g) => [scatterAdd(g, indices, at, x.shape)]);
};

/**
 * The adjoint of {@link gather}, and its gradient: zeros of `shape` with the slices of
 * `updates` added at `indices` along `axis` (repeated indices accumulate). Linear, so
 * its own gradient is the gather again.
 */
const scatterAdd = <D extends DType>(updates: Tensor<D>, indices: Tensor, axis: number, shape: Shape): Tensor<D> => {
  const backend = backendOf(updates, indices);
  const storage = backend.scatterAdd(
    floatStorageOn(updates, backend),
    storageOn(indices as Tensor<'int32'>, backend),
    sizeOf(shape.slice(0, axis)),
    shape[axis],
    sizeOf(shape.slice(axis + 1)),
  );
  return record(fromStorage<D>(storage, shape, backend), [updates], (g) => [gather(g, indices, axis)]);
};
