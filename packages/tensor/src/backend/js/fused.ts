import type { AdamStep, FusedActivation } from '../backend.js';
import { matmulValues } from './matmul.js';
import { relu, sigmoid } from './elementwise.js';
import { allocateLike } from '../../core/dtype.js';

type FloatArray = Float32Array | Float64Array;

/** Max of row `r`, the shift that keeps every exponent at or below zero. */
const rowMax = (x: FloatArray, start: number, cols: number): number => {
  let max = -Infinity;
  for (let c = 0; c < cols; c++) if (x[start + c] > max) max = x[start + c];
  return max;
};

/** log(sum(exp(row - max))) + max, for one row. */
const rowLogSumExp = (x: FloatArray, start: number, cols: number): number => {
  const max = rowMax(x, start, cols);
  if (max === -Infinity || max === Infinity) return max;
  let sum = 0;
  for (let c = 0; c < cols; c++) sum += Math.exp(x[start + c] - max);
  return Math.log(sum) + max;
};

export const softmaxValues = (x: FloatArray, rows: number, cols: number): FloatArray => {
  const out = allocateLike(x, rows * cols);
  // Each exponential once, kept in double precision for the division (the output may be float32).
  const exps = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const start = r * cols;
    const max = rowMax(x, start, cols);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      exps[c] = Math.exp(x[start + c] - max);
      sum += exps[c];
    }
    for (let c = 0; c < cols; c++) out[start + c] = exps[c] / sum;
  }
  return out;
};

export const logSoftmaxValues = (x: FloatArray, rows: number, cols: number): FloatArray => {
  const out = allocateLike(x, rows * cols);
  for (let r = 0; r < rows; r++) {
    const start = r * cols;
    const lse = rowLogSumExp(x, start, cols);
    for (let c = 0; c < cols; c++) out[start + c] = x[start + c] - lse;
  }
  return out;
};

/** Per-row `logSumExp(row) - row[label]`, which never takes the log of a rounded-to-zero probability. */
export const sparseSoftmaxCrossEntropyValues = (
  logits: FloatArray,
  labels: Int32Array,
  rows: number,
  cols: number,
): FloatArray => {
  const out = allocateLike(logits, rows);
  for (let r = 0; r < rows; r++) {
    const start = r * cols;
    out[r] = rowLogSumExp(logits, start, cols) - logits[start + labels[r]];
  }
  return out;
};

export const sparseSoftmaxCrossEntropyGradValues = (
  logits: FloatArray,
  labels: Int32Array,
  dLoss: FloatArray,
  rows: number,
  cols: number,
): FloatArray => {
  const out = allocateLike(logits, rows * cols);
  for (let r = 0; r < rows; r++) {
    const start = r * cols;
    const lse = rowLogSumExp(logits, start, cols);
    const g = dLoss[r];
    for (let c = 0; c < cols; c++) out[start + c] = g * Math.exp(logits[start + c] - lse);
    out[start + labels[r]] -= g;
  }
  return out;
};

/** `activation(x·w + bias)`, with bias and activation applied in one pass over the product. */
export const denseValues = (
  x: FloatArray,
  w: FloatArray,
  bias: FloatArray | undefined,
  m: number,
  k: number,
  n: number,
  activation: FusedActivation,
): FloatArray => {
  const y = matmulValues(x, w, {
    batch: 1,
    m,
    k,
    n,
    transposeA: false,
    transposeB: false,
    aBatched: false,
    bBatched: false,
  });
  if (bias === undefined && activation === 'linear') return y;
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const z = bias === undefined ? y[row + j] : y[row + j] + bias[j];
      y[row + j] =
        activation === 'relu'
          ? relu(z)
          : activation === 'sigmoid'
            ? sigmoid(z)
            : activation === 'tanh'
              ? Math.tanh(z)
              : z;
    }
  }
  return y;
};

/**
 * `dy * f'(z)` from the output `y = f(z)`: relu' = [y > 0] (so relu'(0) = 0),
 * sigmoid' = y(1 - y), tanh' = 1 - y^2.
 */
export const activationGradValues = (activation: FusedActivation, dy: FloatArray, y: FloatArray): FloatArray => {
  const n = dy.length;
  const out = allocateLike(dy, n);
  switch (activation) {
    case 'linear':
      out.set(dy);
      break;
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = y[i] > 0 ? dy[i] : 0;
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = dy[i] * y[i] * (1 - y[i]);
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = dy[i] * (1 - y[i] * y[i]);
      break;
  }
  return out;
};

/**
 * One Adam step: new moments and the direction `(m · correction1) / (√(v · correction2) + epsilon)`,
 * in the precision of the values: float32 tensors round every operation (and the
 * hyper-parameters) to float32, as frameworks' float32 Adam does and as the wasm kernel
 * does four lanes at a time; float64 tensors compute in float64.
 */
export const adamValues = (
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  step: AdamStep,
): { direction: FloatArray; m: FloatArray; v: FloatArray } => {
  const n = grad.length;
  const direction = allocateLike(grad, n);
  const mOut = allocateLike(grad, n);
  const vOut = allocateLike(grad, n);
  // fround at every operation for float32, the identity for float64.
  const r = grad instanceof Float32Array ? Math.fround : (x: number): number => x;
  const beta1 = r(step.beta1),
    rest1 = r(1 - step.beta1),
    beta2 = r(step.beta2),
    rest2 = r(1 - step.beta2);
  const epsilon = r(step.epsilon),
    correction1 = r(step.correction1),
    correction2 = r(step.correction2);
  for (let i = 0; i < n; i++) {
    const g = grad[i];
    const mi = r(r(beta1 * m[i]) + r(rest1 * g));
    const vi = r(r(beta2 * v[i]) + r(r(rest2 * g) * g));
    mOut[i] = mi;
    vOut[i] = vi;
    direction[i] = r(r(mi * correction1) / r(r(Math.sqrt(r(vi * correction2))) + epsilon));
  }
  return { direction, m: mOut, v: vOut };
};
