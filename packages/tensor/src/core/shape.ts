import { check, showShape } from './error.js';

/** The extent of each axis; `[]` is a scalar. */
export type Shape = readonly number[];

/** Number of elements in a tensor of `shape`. */
export const sizeOf = (shape: Shape): number => {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
};

/** Row-major strides of `shape`, in elements. */
export const stridesOf = (shape: Shape): number[] => {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
};

/** True when both shapes have the same rank and extents. */
export const shapesEqual = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * The shape NumPy's broadcasting gives: shapes are aligned on their last axis and
 * each pair of extents must be equal or contain a 1.
 */
export const broadcastShapes = (op: string, ...shapes: Shape[]): number[] => {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    const offset = rank - shape.length;
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i];
      const o = out[offset + i];
      check(
        d === o || d === 1 || o === 1,
        op,
        () =>
          `shapes ${shapes.map(showShape).join(' and ')} cannot be broadcast: axis ${offset + i - rank} has extents ${o} and ${d}`,
      );
      if (d !== 1) out[offset + i] = d;
    }
  }
  return out;
};

/** Resolves a possibly negative axis against `rank`, throwing when it is out of range. */
export const normalizeAxis = (op: string, axis: number, rank: number): number => {
  check(
    Number.isInteger(axis) && axis >= -rank && axis < rank,
    op,
    () => `axis ${axis} is out of range for a tensor of rank ${rank}`,
  );
  return axis < 0 ? axis + rank : axis;
};

/**
 * Resolves an axis argument (one axis, several, or all when undefined) to sorted,
 * distinct, non-negative axes.
 */
export const normalizeAxes = (op: string, axes: number | readonly number[] | undefined, rank: number): number[] => {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const resolved = list.map((a) => normalizeAxis(op, a, rank));
  check(new Set(resolved).size === resolved.length, op, () => `axes [${list.join(',')}] repeat an axis`);
  return resolved.sort((a, b) => a - b);
};

/** Validates a shape given by a caller: non-negative integer extents. */
export const checkShape = (op: string, shape: Shape): void => {
  check(
    shape.every((d) => Number.isInteger(d) && d >= 0),
    op,
    () => `${showShape(shape)} is not a valid shape: extents must be non-negative integers`,
  );
};
