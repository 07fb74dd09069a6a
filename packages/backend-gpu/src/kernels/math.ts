import type { BinaryOp, FusedActivation, UnaryOp } from '@axon/tensor';

/*
 * Element-wise functions as kernel source. GLSL has no erf, expm1 or log1p, and gpu.js's
 * stand-ins for tanh and friends lose precision near zero, so each is written here from
 * exp and log with the usual care; all run the same in every gpu.js mode.
 */

/** A snippet of kernel source and the helper functions it calls. */
export interface Snippet {
  readonly expression: string;
  readonly helpers: readonly string[];
}

// Near 0, exp(x) - 1 and log(1 + x) cancel away their precision, and GPU logs are only
// accurate to an absolute error near 1, which rules out Kahan's ratio tricks; so short
// series take over there (their first omitted terms are below 1e-8 relative), and
// beyond |x| = 0.25 the direct forms lose at most a factor of five of exp's precision.
const expm1 = `function axonExpm1(x) {
  if (Math.abs(x) < 0.25) {
    return x * (1 + x * (0.5 + x * (0.16666666666666666 + x * (0.041666666666666664 + x * (0.008333333333333333 + x * (0.001388888888888889 + x * (0.0001984126984126984 + x * 0.0000248015873015873)))))));
  }
  return Math.exp(x) - 1;
}`;

// log(1 + x) = 2 atanh(s) with s = x / (2 + x), |s| < 0.143 here.
const log1p = `function axonLog1p(x) {
  if (Math.abs(x) < 0.25) {
    const s = x / (2 + x);
    const q = s * s;
    return 2 * s * (1 + q * (0.3333333333333333 + q * (0.2 + q * (0.14285714285714285 + q * (0.1111111111111111 + q * 0.09090909090909091)))));
  }
  return Math.log(1 + x);
}`;

// tanh from expm1 of a non-positive argument: no overflow, and exact-ish near 0.
const tanh = `function axonTanh(x) {
  const e = axonExpm1(-2 * Math.abs(x));
  const t = -e / (2 + e);
  return x < 0 ? -t : t;
}`;

// Each branch exponentiates a non-positive number, so neither overflows.
const sigmoid = `function axonSigmoid(x) {
  if (x >= 0) { return 1 / (1 + Math.exp(-x)); }
  const e = Math.exp(x);
  return e / (1 + e);
}`;

const softplus = `function axonSoftplus(x) {
  if (x > 0) { return x + axonLog1p(Math.exp(-x)); }
  return axonLog1p(Math.exp(x));
}`;

// erfc(|x|) by the Chebyshev fit of Numerical Recipes (erfcc), relative error below
// 1.2e-7 everywhere, so 1 + erf(x) = erfc(-x) stays accurate deep in the left tail.
const erfcAbs = `function axonErfcAbs(z) {
  const t = 1 / (1 + 0.5 * z);
  return t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
}`;

// Near 0, 1 - erfc loses relative precision, so the Maclaurin series takes over
// (its first omitted term is below 3e-8 relative at |x| = 0.5).
const erf = `function axonErf(x) {
  const z = Math.abs(x);
  if (z < 0.5) {
    const s = x * x;
    return 1.1283791670955126 * x * (1 - s * (0.3333333333333333 - s * (0.1 - s * (0.023809523809523808 - s * (0.004629629629629629 - s * 0.0007575757575757576)))));
  }
  const e = 1 - axonErfcAbs(z);
  return x < 0 ? -e : e;
}`;

// 1 + erf(x / sqrt 2) = erfc(-x / sqrt 2).
const gelu = `function axonGelu(x) {
  const z = x * 0.7071067811865476;
  const c = z < 0 ? axonErfcAbs(-z) : 2 - axonErfcAbs(z);
  return 0.5 * x * c;
}`;

// Half to even, as NumPy rounds. x - floor(x) is exact, unlike floor(x + 0.5),
// which rounds 0.49999997 + 0.5 up to 1.
const round = `function axonRound(x) {
  const r = Math.floor(x);
  const d = x - r;
  if (d > 0.5) { return r + 1; }
  if (d === 0.5 && r - 2 * Math.floor(r / 2) !== 0) { return r + 1; }
  return r;
}`;

// GLSL's pow is undefined for negative bases; JavaScript's gives a real result for
// integer exponents.
const pow = `function axonPow(a, b) {
  if (b === 0) { return 1; }
  if (a > 0) { return Math.pow(a, b); }
  if (a === 0) { return b > 0 ? 0 : 1 / a; }
  if (Math.floor(b) !== b) { return Math.sqrt(-1 - a * a); }
  const p = Math.pow(-a, b);
  return b - 2 * Math.floor(b / 2) === 0 ? p : -p;
}`;

const call =
  (name: string, helpers: readonly string[]) =>
  (v: string): Snippet => ({
    expression: `${name}(${v})`,
    helpers,
  });

const inline =
  (f: (v: string) => string) =>
  (v: string): Snippet => ({ expression: f(v), helpers: [] });

const unarySnippets: Readonly<Record<UnaryOp, (v: string) => Snippet>> = {
  neg: inline((v) => `-${v}`),
  abs: inline((v) => `Math.abs(${v})`),
  sign: inline((v) => `(${v} > 0 ? 1 : (${v} < 0 ? -1 : ${v}))`),
  square: inline((v) => `${v} * ${v}`),
  sqrt: inline((v) => `Math.sqrt(${v})`),
  reciprocal: inline((v) => `1 / ${v}`),
  exp: inline((v) => `Math.exp(${v})`),
  expm1: call('axonExpm1', [expm1]),
  log: inline((v) => `Math.log(${v})`),
  log1p: call('axonLog1p', [log1p]),
  sin: inline((v) => `Math.sin(${v})`),
  cos: inline((v) => `Math.cos(${v})`),
  erf: call('axonErf', [erfcAbs, erf]),
  floor: inline((v) => `Math.floor(${v})`),
  ceil: inline((v) => `Math.ceil(${v})`),
  round: call('axonRound', [round]),
  // relu'(0) = 0 and relu(NaN) = 0, as the reference backend has it.
  relu: inline((v) => `(${v} > 0 ? ${v} : 0)`),
  sigmoid: call('axonSigmoid', [sigmoid]),
  tanh: call('axonTanh', [expm1, tanh]),
  softplus: call('axonSoftplus', [log1p, softplus]),
  gelu: call('axonGelu', [erfcAbs, gelu]),
};

/** `op` applied to the float expression `v`. */
export const unarySnippet = (op: UnaryOp, v: string): Snippet => unarySnippets[op](v);

const binaryExpressions: Readonly<Record<Exclude<BinaryOp, 'pow'>, (a: string, b: string) => string>> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `${a} / ${b}`,
  maximum: (a, b) => `Math.max(${a}, ${b})`,
  minimum: (a, b) => `Math.min(${a}, ${b})`,
  equal: (a, b) => `(${a} === ${b} ? 1 : 0)`,
  notEqual: (a, b) => `(${a} !== ${b} ? 1 : 0)`,
  less: (a, b) => `(${a} < ${b} ? 1 : 0)`,
  lessEqual: (a, b) => `(${a} <= ${b} ? 1 : 0)`,
  greater: (a, b) => `(${a} > ${b} ? 1 : 0)`,
  greaterEqual: (a, b) => `(${a} >= ${b} ? 1 : 0)`,
};

/** `a op b` for float expressions; comparisons give 1 or 0. */
export const binarySnippet = (op: BinaryOp, a: string, b: string): Snippet =>
  op === 'pow'
    ? { expression: `axonPow(${a}, ${b})`, helpers: [pow] }
    : { expression: binaryExpressions[op](a, b), helpers: [] };

/** A fused activation applied to the float expression `v`. */
export const activationSnippet = (activation: FusedActivation, v: string): Snippet =>
  activation === 'linear' ? { expression: v, helpers: [] } : unarySnippet(activation, v);

/**
 * `dy * f'(.)` from the activation's output `y`: relu' = [y > 0] (so relu'(0) = 0),
 * sigmoid' = y(1 - y), tanh' = 1 - y^2.
 */
export const activationGradExpression = (activation: FusedActivation, dy: string, y: string): string => {
  switch (activation) {
    case 'linear':
      return dy;
    case 'relu':
      return `(${y} > 0 ? ${dy} : 0)`;
    case 'sigmoid':
      return `${dy} * ${y} * (1 - ${y})`;
    case 'tanh':
      return `${dy} * (1 - ${y} * ${y})`;
  }
};
