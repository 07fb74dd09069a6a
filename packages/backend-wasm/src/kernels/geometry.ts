import type { Conv2DGeometry } from '@axon/tensor';
import type { WasmRuntime } from '../runtime/runtime.js';

// What the convolution and pooling kernels share: the geometry record the kernels module
// reads (`assembly/conv/geometry.ts`) and the size from which their jobs go parallel.

/** Jobs smaller than this many elements run on the calling thread alone. */
export const PARALLEL_ELEMENTS = 1 << 14;

/** Bytes of the geometry record, rounded to a cache line. */
export const GEOMETRY_BYTES = 64;

/** The record's fields, in the kernels module's order. */
export const geometryFields = (g: Conv2DGeometry): number[] => [
  g.batch,
  g.inHeight,
  g.inWidth,
  g.inChannels,
  g.outHeight,
  g.outWidth,
  g.outChannels,
  g.filterHeight,
  g.filterWidth,
  g.strideHeight,
  g.strideWidth,
  g.dilationHeight,
  g.dilationWidth,
  g.padTop,
  g.padLeft,
];

/** Writes `g` at `at` in the kernels module's layout. */
export const writeGeometry = (runtime: WasmRuntime, at: number, g: Conv2DGeometry): void =>
  runtime.heap.i32.set(geometryFields(g), at >> 2);
