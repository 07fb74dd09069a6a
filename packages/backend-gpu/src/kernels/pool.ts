import type { Conv2DGeometry } from '@axon/tensor';
import { windowFromTap } from './conv.js';
import { coordinatesCode } from './indexing.js';
import type { Program } from './program.js';

// Pooling kernels, one thread per output element as the convolution kernels. Max
// pooling's gradients find each window's first maximum again (row-major within the
// window; a NaN wins), as the reference backend does, instead of keeping indices.

/**
 * Statements setting `best` and `bestAt` (declared by the caller) to the value and flat
 * index of the first maximum of channel `c` in window `(oy, ox)` of image `b` of `x`.
 */
const firstMaximumCode = (g: Conv2DGeometry, b: string, oy: string, ox: string, c: string): string =>
  `bestAt = -1;\n` +
  `for (let qh = 0; qh < ${g.filterHeight}; qh++) {\n` +
  `const qy = ${oy} * ${g.strideHeight} - ${g.padTop} + qh;\n` +
  `if (qy >= 0 && qy < ${g.inHeight}) {\n` +
  `for (let qw = 0; qw < ${g.filterWidth}; qw++) {\n` +
  `const qx = ${ox} * ${g.strideWidth} - ${g.padLeft} + qw;\n` +
  `if (qx >= 0 && qx < ${g.inWidth}) {\n` +
  `const at = ((${b} * ${g.inHeight} + qy) * ${g.inWidth} + qx) * ${g.inChannels} + ${c};\n` +
  `const v = x[at];\n` +
  `if (bestAt < 0 || v > best || (v !== v && best === best)) {\nbest = v;\nbestAt = at;\n}\n` +
  `}\n}\n}\n}\n`;

/** Coordinates `(b, oy, ox, c)` of this thread's element of the pooled output. */
const outputCoordinates = (g: Conv2DGeometry) =>
  coordinatesCode('i', [g.batch, g.outHeight, g.outWidth, g.inChannels], 'c');

/** Coordinates `(b, iy, ix, c)` of this thread's element of the input. */
const inputCoordinates = (g: Conv2DGeometry) =>
  coordinatesCode('i', [g.batch, g.inHeight, g.inWidth, g.inChannels], 'c');

const outputSize = (g: Conv2DGeometry): number => g.batch * g.outHeight * g.outWidth * g.inChannels;
const inputSize = (g: Conv2DGeometry): number => g.batch * g.inHeight * g.inWidth * g.inChannels;

/** Each window's maximum. */
export const maxPool2dProgram = (g: Conv2DGeometry): Program => {
  const { code, names } = outputCoordinates(g);
  const [b, oy, ox, c] = names;
  return {
    source: `function (x) {\nconst i = this.thread.x;\n${code}let best = 0;\nlet bestAt = -1;\n${firstMaximumCode(g, b, oy, ox, c)}return best;\n}`,
    helpers: [],
    size: outputSize(g),
  };
};

/** For each window of `x`, the element of `values` at its first maximum. */
export const maxPool2dGradGradProgram = (g: Conv2DGeometry): Program => {
  const { code, names } = outputCoordinates(g);
  const [b, oy, ox, c] = names;
  return {
    source: `function (values, x) {\nconst i = this.thread.x;\n${code}let best = 0;\nlet bestAt = -1;\n${firstMaximumCode(g, b, oy, ox, c)}return values[bestAt];\n}`,
    helpers: [],
    size: outputSize(g),
  };
};

/**
 * Opens the loops over the windows `(oy, ox)` that hold input element `(iy, ix)`; the
 * caller closes the four blocks.
 */
const windowsHolding = (g: Conv2DGeometry, iy: string, ix: string): string =>
  `for (let kh = 0; kh < ${g.filterHeight}; kh++) {\n` +
  windowFromTap('oy', iy, g.padTop, 'kh', g.strideHeight, g.outHeight) +
  `for (let kw = 0; kw < ${g.filterWidth}; kw++) {\n` +
  windowFromTap('ox', ix, g.padLeft, 'kw', g.strideWidth, g.outWidth);

/** `dx`: the sum of the `dy` of every window whose first maximum this element is. */
export const maxPool2dGradProgram = (g: Conv2DGeometry): Program => {
  const { code, names } = inputCoordinates(g);
  const [b, iy, ix, c] = names;
  const self = `((${b} * ${g.inHeight} + ${iy}) * ${g.inWidth} + ${ix}) * ${g.inChannels} + ${c}`;
  return {
    source:
      `function (dy, x) {\nconst i = this.thread.x;\n${code}const self = ${self};\nlet total = 0;\nlet best = 0;\nlet bestAt = -1;\n` +
      windowsHolding(g, iy, ix) +
      firstMaximumCode(g, b, 'oy', 'ox', c) +
      `if (bestAt === self) {\ntotal += dy[((${b} * ${g.outHeight} + oy) * ${g.outWidth} + ox) * ${g.inChannels} + ${c}];\n}\n` +
      `}\n}\n}\n}\nreturn total;\n}`,
    helpers: [],
    size: inputSize(g),
  };
};

/** Each window's mean over its in-bounds elements. */
export const avgPool2dProgram = (g: Conv2DGeometry): Program => {
  const { code, names } = outputCoordinates(g);
  const [b, oy, ox, c] = names;
  return {
    source:
      `function (x) {\nconst i = this.thread.x;\n${code}let total = 0;\nlet count = 0;\n` +
      `for (let kh = 0; kh < ${g.filterHeight}; kh++) {\n` +
      `const iy = ${oy} * ${g.strideHeight} - ${g.padTop} + kh;\n` +
      `if (iy >= 0 && iy < ${g.inHeight}) {\n` +
      `for (let kw = 0; kw < ${g.filterWidth}; kw++) {\n` +
      `const ix = ${ox} * ${g.strideWidth} - ${g.padLeft} + kw;\n` +
      `if (ix >= 0 && ix < ${g.inWidth}) {\n` +
      `total += x[((${b} * ${g.inHeight} + iy) * ${g.inWidth} + ix) * ${g.inChannels} + ${c}];\ncount += 1;\n` +
      `}\n}\n}\n}\nreturn total / count;\n}`,
    helpers: [],
    size: outputSize(g),
  };
};

/** `dx`: the `dy` of every window holding this element, each divided by its window's in-bounds count. */
export const avgPool2dGradProgram = (g: Conv2DGeometry): Program => {
  const { code, names } = inputCoordinates(g);
  const [b, iy, ix, c] = names;
  return {
    source:
      `function (dy) {\nconst i = this.thread.x;\n${code}let total = 0;\n` +
      windowsHolding(g, iy, ix) +
      `const top = oy * ${g.strideHeight} - ${g.padTop};\n` +
      `const left = ox * ${g.strideWidth} - ${g.padLeft};\n` +
      `const rows = Math.min(top + ${g.filterHeight}, ${g.inHeight}) - Math.max(top, 0);\n` +
      `const cols = Math.min(left + ${g.filterWidth}, ${g.inWidth}) - Math.max(left, 0);\n` +
      `total += dy[((${b} * ${g.outHeight} + oy) * ${g.outWidth} + ox) * ${g.inChannels} + ${c}] / (rows * cols);\n` +
      `}\n}\n}\n}\nreturn total;\n}`,
    helpers: [],
    size: inputSize(g),
  };
};
