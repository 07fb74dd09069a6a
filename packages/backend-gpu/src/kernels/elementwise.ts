import { sizeOf, type BinaryOp, type FusedActivation, type Shape, type UnaryOp } from '@axon/tensor';
import { broadcastStrides, coordinatesCode, mergeAxes, offsetExpression } from './indexing.js';
import { activationGradExpression, binarySnippet, unarySnippet } from './math.js';
import type { Program } from './program.js';

/** `out[i] = x[i]`: turns host values into a texture. */
export const copyProgram = (size: number): Program => ({
  source: 'function (x) {\nreturn x[this.thread.x];\n}',
  helpers: [],
  size,
});

/** `op(x[i])` for every element. */
export const unaryProgram = (op: UnaryOp, size: number): Program => {
  const { expression, helpers } = unarySnippet(op, 'v');
  return { source: `function (x) {\nconst v = x[this.thread.x];\nreturn ${expression};\n}`, helpers, size };
};

/**
 * The source of a kernel that reads operand `t` broadcast into `outShape` as `v${t}`
 * and returns `body` of them.
 */
const broadcastSource = (shapes: readonly Shape[], outShape: Shape, body: string): string => {
  const walk = mergeAxes(
    outShape,
    shapes.map((s) => broadcastStrides(s, outShape)),
  );
  const { code, names } = coordinatesCode('i', walk.extents, 'c');
  const operands = shapes.map((_, t) => `x${t}`);
  const reads = walk.strides.map(
    (strides, t) => `const v${t} = ${operands[t]}[${offsetExpression(names, strides)}];\n`,
  );
  return `function (${operands.join(', ')}) {\nconst i = this.thread.x;\n${code}${reads.join('')}return ${body};\n}`;
};

/** `a op b` with NumPy broadcasting; comparisons give 1 or 0. */
export const binaryProgram = (op: BinaryOp, aShape: Shape, bShape: Shape, outShape: Shape): Program => {
  const { expression, helpers } = binarySnippet(op, 'v0', 'v1');
  return { source: broadcastSource([aShape, bShape], outShape, expression), helpers, size: sizeOf(outShape) };
};

/** `condition ? a : b` with broadcasting. */
export const whereProgram = (conditionShape: Shape, aShape: Shape, bShape: Shape, outShape: Shape): Program => ({
  source: broadcastSource([conditionShape, aShape, bShape], outShape, '(v0 !== 0 ? v1 : v2)'),
  helpers: [],
  size: sizeOf(outShape),
});

/** `dy * activation'(.)` from the activation's output `y`. */
export const activationGradProgram = (activation: FusedActivation, size: number): Program => ({
  source: `function (dy, y) {\nconst g = dy[this.thread.x];\nconst o = y[this.thread.x];\nreturn ${activationGradExpression(activation, 'g', 'o')};\n}`,
  helpers: [],
  size,
});

/** Adam's first moment, `beta1 m + (1 - beta1) g`; scalars are kernel arguments so one kernel serves every step. */
export const adamMomentProgram = (size: number): Program => ({
  source: 'function (g, m, beta, oneMinusBeta) {\nreturn beta * m[this.thread.x] + oneMinusBeta * g[this.thread.x];\n}',
  helpers: [],
  size,
});

/** Adam's second moment, `beta2 v + (1 - beta2) g^2`. */
export const adamSecondMomentProgram = (size: number): Program => ({
  source:
    'function (g, v, beta, oneMinusBeta) {\nconst x = g[this.thread.x];\nreturn beta * v[this.thread.x] + oneMinusBeta * x * x;\n}',
  helpers: [],
  size,
});

/** Adam's direction from the new moments, `m c1 / (sqrt(v c2) + epsilon)`. */
export const adamDirectionProgram = (size: number): Program => ({
  source:
    'function (m, v, correction1, correction2, epsilon) {\n' +
    'return m[this.thread.x] * correction1 / (Math.sqrt(v[this.thread.x] * correction2) + epsilon);\n}',
  helpers: [],
  size,
});
