import { sizeOf, type Shape } from '@axon/tensor';
import { contiguousStrides, coordinatesCode, mergeAxes, offsetExpression } from './indexing.js';
import type { Program } from './program.js';

/** `out[c] = x[offset + c · strides]` over `outShape`: the kernel behind transpose and slice. */
const stridedReadProgram = (outShape: Shape, strides: readonly number[], offset: number): Program => {
  const walk = mergeAxes(outShape, [strides]);
  const { code, names } = coordinatesCode('i', walk.extents, 'c');
  return {
    source: `function (x) {\nconst i = this.thread.x;\n${code}return x[${offsetExpression(names, walk.strides[0], offset)}];\n}`,
    helpers: [],
    size: sizeOf(outShape),
  };
};

/** Output axis `i` is input axis `perm[i]`. */
export const transposeProgram = (shape: Shape, perm: readonly number[]): Program => {
  const strides = contiguousStrides(shape);
  return stridedReadProgram(
    perm.map((p) => shape[p]),
    perm.map((p) => strides[p]),
    0,
  );
};

/** The box `begin .. begin + size` of a tensor of `shape`. */
export const sliceProgram = (shape: Shape, begin: readonly number[], size: Shape): Program => {
  const strides = contiguousStrides(shape);
  const offset = begin.reduce((acc, b, axis) => acc + b * strides[axis], 0);
  return stridedReadProgram(size, strides, offset);
};
