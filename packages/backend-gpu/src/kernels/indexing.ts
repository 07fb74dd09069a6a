import type { Shape } from '@axon/tensor';

/**
 * A walk over an output: its axes (extent-1 axes dropped, neighbours merged where
 * every operand steps through them contiguously) and each operand's element stride
 * along each of them (0 where the operand is broadcast).
 */
export interface Walk {
  readonly extents: readonly number[];
  readonly strides: readonly (readonly number[])[];
}

/** Row-major element strides of `shape`. */
export const contiguousStrides = (shape: Shape): number[] => {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
};

/** Strides of an operand of `shape` broadcast into `outShape` (NumPy rules: aligned on the last axis). */
export const broadcastStrides = (shape: Shape, outShape: Shape): number[] => {
  const own = contiguousStrides(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((extent, axis) => {
    const a = axis - offset;
    return a < 0 || (shape[a] === 1 && extent !== 1) ? 0 : own[a];
  });
};

/** Merges the axes of `outShape` that every operand in `strides` walks alike. */
export const mergeAxes = (outShape: Shape, strides: readonly (readonly number[])[]): Walk => {
  const extents: number[] = [];
  const merged: number[][] = strides.map(() => []);
  outShape.forEach((extent, axis) => {
    if (extent === 1) return;
    const last = extents.length - 1;
    if (last >= 0 && strides.every((s, t) => merged[t][last] === s[axis] * extent)) {
      extents[last] *= extent;
      strides.forEach((s, t) => (merged[t][last] = s[axis]));
    } else {
      extents.push(extent);
      strides.forEach((s, t) => merged[t].push(s[axis]));
    }
  });
  return { extents, strides: merged };
};

/**
 * Statements declaring `quotient = floor(numerator / divisor)` and
 * `remainder = numerator - quotient * divisor` exactly. GPUs may divide through a
 * reciprocal that is a few ulps off, which would put a multiple of the divisor into
 * the wrong quotient; one correction step each way fixes that for all indices below
 * 2^24, where float arithmetic on integers is exact.
 */
export const divideCode = (numerator: string, divisor: number, quotient: string, remainder: string): string =>
  `let ${quotient} = Math.floor(${numerator} / ${divisor});\n` +
  `if (${quotient} * ${divisor} > ${numerator}) { ${quotient} = ${quotient} - 1; }\n` +
  `if (${quotient} * ${divisor} + ${divisor} <= ${numerator}) { ${quotient} = ${quotient} + 1; }\n` +
  `const ${remainder} = ${numerator} - ${quotient} * ${divisor};\n`;

/**
 * Statements splitting the flat index `index` into one coordinate per extent
 * (row-major), named `${prefix}0`, `${prefix}1`, ...; an axis of extent 1 gets the
 * literal `0` instead of a name.
 */
export const coordinatesCode = (
  index: string,
  extents: readonly number[],
  prefix: string,
): { code: string; names: string[] } => {
  const names = extents.map((extent, axis) => (extent === 1 ? '0' : `${prefix}${axis}`));
  const last = extents.reduce((found, extent, axis) => (extent === 1 ? found : axis), -1);
  let code = '';
  let rest = index;
  let block = extents.reduce((a, b) => a * b, 1);
  extents.forEach((extent, axis) => {
    block /= extent;
    if (extent === 1) return;
    if (axis === last) {
      code += `const ${names[axis]} = ${rest};\n`;
      return;
    }
    const remainder = `${prefix}Rest${axis}`;
    code += divideCode(rest, block, names[axis], remainder);
    rest = remainder;
  });
  return { code, names };
};

/** `offset + c0 * s0 + c1 * s1 + ...`, leaving out zero terms. */
export const offsetExpression = (coordinates: readonly string[], strides: readonly number[], offset = 0): string => {
  const terms = coordinates.flatMap((c, axis) =>
    strides[axis] === 0 || c === '0' ? [] : strides[axis] === 1 ? [c] : [`${c} * ${strides[axis]}`],
  );
  if (offset !== 0 || terms.length === 0) terms.unshift(String(offset));
  return terms.join(' + ');
};
