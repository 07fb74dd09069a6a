import type { Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { reshape } from '../ops/manipulation.js';
import { sum } from '../ops/reduction.js';

/**
 * Undoes broadcasting in a gradient: sums `g` over the axes along which an input of
 * `shape` was broadcast, and reshapes the result to `shape`. Every op that broadcasts
 * its inputs passes its cotangents through this one helper.
 */
export const unbroadcast = (g: Tensor, shape: Shape): Tensor => {
  const offset = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < offset || (shape[i - offset] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return reshape(axes.length === 0 ? g : sum(g, axes), shape);
};
