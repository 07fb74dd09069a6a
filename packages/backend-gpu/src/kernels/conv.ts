import type { Conv2DGeometry } from '@axon/tensor';
import { compensatedAccumulator } from './accumulate.js';
import { coordinatesCode } from './indexing.js';
import type { Program } from './program.js';

// Convolution kernels in gather form: one thread per output element loops over the
// taps that reach it, skipping padding, and sums in compensated float32. Every extent,
// stride and padding is a literal in the text, so loops have constant bounds and each
// geometry compiles once.

/** A statement opening an `if` block that runs when `value` lies in `[0, size)`; the caller closes it. */
const inBounds = (value: string, size: number): string => `if (${value} >= 0 && ${value} < ${size}) {\n`;

/**
 * Statements declaring `out` as the window position whose tap `tap` (times the dilation
 * already folded into `offset`) reads input position `position`: `out = (position + pad
 * − offset) / stride` when that is a whole number, and opening an `if` block that holds
 * when it is, and `out` lies in `[0, extent)`. The division is rounded from half a step
 * off, so a GPU reciprocal a few ulps off cannot land on the wrong side of a whole number.
 */
export const windowFromTap = (
  out: string,
  position: string,
  pad: number,
  offset: string,
  stride: number,
  extent: number,
): string => {
  const numerator = `${out}Numerator`;
  const declare = `const ${numerator} = ${position} + ${pad} - ${offset};\n`;
  if (stride === 1) return `${declare}const ${out} = ${numerator};\nif (${out} >= 0 && ${out} < ${extent}) {\n`;
  return (
    `${declare}const ${out} = Math.floor((${numerator} + 0.5) / ${stride});\n` +
    `if (${numerator} >= 0 && ${out} * ${stride} === ${numerator} && ${out} < ${extent}) {\n`
  );
};

/** `y[b, oy, ox, o] = Σ x[b, oy·sh − pt + kh·dh, ox·sw − pl + kw·dw, c] · kernel[kh, kw, c, o]`. */
export const conv2dProgram = (g: Conv2DGeometry): Program => {
  const { code, names } = coordinatesCode('i', [g.batch, g.outHeight, g.outWidth, g.outChannels], 'c');
  const [b, oy, ox, o] = names;
  const sum = compensatedAccumulator('sum');
  const source =
    `function (x, k) {\nconst i = this.thread.x;\n${code}${sum.declare}` +
    `for (let kh = 0; kh < ${g.filterHeight}; kh++) {\n` +
    `const iy = ${oy} * ${g.strideHeight} - ${g.padTop} + kh * ${g.dilationHeight};\n${inBounds('iy', g.inHeight)}` +
    `for (let kw = 0; kw < ${g.filterWidth}; kw++) {\n` +
    `const ix = ${ox} * ${g.strideWidth} - ${g.padLeft} + kw * ${g.dilationWidth};\n${inBounds('ix', g.inWidth)}` +
    `const xBase = ((${b} * ${g.inHeight} + iy) * ${g.inWidth} + ix) * ${g.inChannels};\n` +
    `const kBase = (kh * ${g.filterWidth} + kw) * ${g.inChannels * g.outChannels} + ${o};\n` +
    `for (let c = 0; c < ${g.inChannels}; c++) {\n${sum.add(`x[xBase + c] * k[kBase + c * ${g.outChannels}]`)}}\n` +
    `}\n}\n}\n}\nreturn sum;\n}`;
  return { source, helpers: [], size: g.batch * g.outHeight * g.outWidth * g.outChannels };
};

/** `dx[b, iy, ix, c] = Σ dy[b, oy, ox, o] · kernel[kh, kw, c, o]` over the windows and taps that read `(iy, ix)`. */
export const conv2dBackpropInputProgram = (g: Conv2DGeometry): Program => {
  const { code, names } = coordinatesCode('i', [g.batch, g.inHeight, g.inWidth, g.inChannels], 'c');
  const [b, iy, ix, c] = names;
  const sum = compensatedAccumulator('sum');
  const source =
    `function (dy, k) {\nconst i = this.thread.x;\n${code}${sum.declare}` +
    `for (let kh = 0; kh < ${g.filterHeight}; kh++) {\n` +
    windowFromTap('oy', iy, g.padTop, `kh * ${g.dilationHeight}`, g.strideHeight, g.outHeight) +
    `for (let kw = 0; kw < ${g.filterWidth}; kw++) {\n` +
    windowFromTap('ox', ix, g.padLeft, `kw * ${g.dilationWidth}`, g.strideWidth, g.outWidth) +
    `const dyBase = ((${b} * ${g.outHeight} + oy) * ${g.outWidth} + ox) * ${g.outChannels};\n` +
    `const kBase = ((kh * ${g.filterWidth} + kw) * ${g.inChannels} + ${c}) * ${g.outChannels};\n` +
    `for (let o = 0; o < ${g.outChannels}; o++) {\n${sum.add('dy[dyBase + o] * k[kBase + o]')}}\n` +
    `}\n}\n}\n}\nreturn sum;\n}`;
  return { source, helpers: [], size: g.batch * g.inHeight * g.inWidth * g.inChannels };
};

/** `dkernel[kh, kw, c, o] = Σ x[b, oy·sh − pt + kh·dh, ox·sw − pl + kw·dw, c] · dy[b, oy, ox, o]` over images and pixels. */
export const conv2dBackpropFilterProgram = (g: Conv2DGeometry): Program => {
  const { code, names } = coordinatesCode('i', [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels], 'c');
  const [kh, kw, c, o] = names;
  const sum = compensatedAccumulator('sum');
  const source =
    `function (x, dy) {\nconst i = this.thread.x;\n${code}${sum.declare}` +
    `for (let b = 0; b < ${g.batch}; b++) {\n` +
    `for (let oy = 0; oy < ${g.outHeight}; oy++) {\n` +
    `const iy = oy * ${g.strideHeight} - ${g.padTop} + ${kh} * ${g.dilationHeight};\n${inBounds('iy', g.inHeight)}` +
    `for (let ox = 0; ox < ${g.outWidth}; ox++) {\n` +
    `const ix = ox * ${g.strideWidth} - ${g.padLeft} + ${kw} * ${g.dilationWidth};\n${inBounds('ix', g.inWidth)}` +
    sum.add(
      `x[((b * ${g.inHeight} + iy) * ${g.inWidth} + ix) * ${g.inChannels} + ${c}] * dy[((b * ${g.outHeight} + oy) * ${g.outWidth} + ox) * ${g.outChannels} + ${o}]`,
    ) +
    `}\n}\n}\n}\n}\nreturn sum;\n}`;
  return { source, helpers: [], size: g.filterHeight * g.filterWidth * g.inChannels * g.outChannels };
};
