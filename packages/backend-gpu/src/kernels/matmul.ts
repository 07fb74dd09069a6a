import type { FusedActivation, MatmulSpec } from '@axon/tensor';
import { sumCode } from './accumulate.js';
import { coordinatesCode, offsetExpression } from './indexing.js';
import { activationSnippet } from './math.js';
import type { Program } from './program.js';

/**
 * Where element `(row, p)` of op(A) and `(p, col)` of op(B) sit in their storage: a
 * base per output element, and a step along the shared axis `p`.
 */
const operandLayout = (spec: MatmulSpec) => {
  const { m, k, n } = spec;
  return {
    // A is [m, k], or [k, m] read transposed.
    aRowStride: spec.transposeA ? 1 : k,
    aStep: spec.transposeA ? m : 1,
    aBatchStride: spec.aBatched ? m * k : 0,
    // B is [k, n], or [n, k] read transposed.
    bColStride: spec.transposeB ? k : 1,
    bStep: spec.transposeB ? 1 : n,
    bBatchStride: spec.bBatched ? k * n : 0,
  };
};

/**
 * The body of a product kernel: coordinates, operand bases and the dot product `sum`;
 * also the expression for the output column.
 */
const productCode = (spec: MatmulSpec): { code: string; col: string } => {
  const { batch, m, k, n } = spec;
  const layout = operandLayout(spec);
  const { code, names } = coordinatesCode('i', [batch, m, n], 'c');
  const [t, row, col] = names;
  const aBase = offsetExpression([t, row], [layout.aBatchStride, layout.aRowStride]);
  const bBase = offsetExpression([t, col], [layout.bBatchStride, layout.bColStride]);
  const aIndex = (p: string) => (layout.aStep === 1 ? `aBase + ${p}` : `aBase + ${p} * ${layout.aStep}`);
  const bIndex = (p: string) => (layout.bStep === 1 ? `bBase + ${p}` : `bBase + ${p} * ${layout.bStep}`);
  return {
    code:
      `const i = this.thread.x;\n${code}` +
      `const aBase = ${aBase};\nconst bBase = ${bBase};\n` +
      sumCode('sum', k, (p) => `a[${aIndex(p)}] * b[${bIndex(p)}]`),
    col,
  };
};

/** The (batched, optionally transposed) product `op(A) · op(B)` of {@link MatmulSpec}. */
export const matmulProgram = (spec: MatmulSpec): Program => ({
  source: `function (a, b) {\n${productCode(spec).code}return sum;\n}`,
  helpers: [],
  size: spec.batch * spec.m * spec.n,
});

/** `activation(x · w + bias)` for `x` `[m, k]`, `w` `[k, n]` and `bias` `[n]` when `withBias`. */
export const denseProgram = (
  m: number,
  k: number,
  n: number,
  withBias: boolean,
  activation: FusedActivation,
): Program => {
  const spec: MatmulSpec = {
    batch: 1,
    m,
    k,
    n,
    transposeA: false,
    transposeB: false,
    aBatched: false,
    bBatched: false,
  };
  const { code, col } = productCode(spec);
  const z = withBias ? `sum + bias[${col}]` : 'sum';
  const { expression, helpers } = activationSnippet(activation, 'z');
  return {
    source: `function (a, b${withBias ? ', bias' : ''}) {\n${code}const z = ${z};\nreturn ${expression};\n}`,
    helpers,
    size: m * n,
  };
};
