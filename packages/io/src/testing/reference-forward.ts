import type { KerasActivation } from '../layers-model/keras-activation.js';
import type { SavedModel } from '../layers-model/saved-model.js';

// A plain float64 forward pass over a SavedModel, written from the Keras definitions
// of the layers and activations, to check other implementations against.

/** erfc(z) for z ≥ 3 by its continued fraction, which converges fast there. */
function erfcLarge(z: number): number {
  let k = z;
  for (let n = 60; n >= 1; n--) k = z + n / 2 / k;
  return Math.exp(-z * z) / (Math.sqrt(Math.PI) * k);
}

/** The error function, accurate to about 1e-13. */
export function erf(x: number): number {
  const z = Math.abs(x);
  if (z >= 3) return Math.sign(x) * (1 - erfcLarge(z));
  let term = z;
  let sum = z;
  for (let n = 1; n < 80; n++) {
    term *= (-z * z) / n;
    sum += term / (2 * n + 1);
  }
  return (Math.sign(x) * 2 * sum) / Math.sqrt(Math.PI);
}

const softplus = (x: number): number => (x > 30 ? x : Math.log1p(Math.exp(x)));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const seluAlpha = 1.6732632423543772848170429916717;
const seluScale = 1.0507009873554804934193349852946;

const elementwise: Record<Exclude<KerasActivation, 'softmax'>, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(0, x),
  relu6: (x) => Math.min(Math.max(0, x), 6),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  selu: (x) => seluScale * (x > 0 ? x : seluAlpha * Math.expm1(x)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  sigmoid,
  tanh: Math.tanh,
  softplus,
  softsign: (x) => x / (1 + Math.abs(x)),
  swish: (x) => x * sigmoid(x),
  mish: (x) => x * Math.tanh(softplus(x)),
};

/** Applies an activation to each row (the last axis) of `values`. */
function activate(activation: KerasActivation, values: number[], rowLength: number): number[] {
  if (activation !== 'softmax') return values.map(elementwise[activation]);
  const out: number[] = [];
  for (let start = 0; start < values.length; start += rowLength) {
    const row = values.slice(start, start + rowLength);
    const max = Math.max(...row);
    const exps = row.map((v) => Math.exp(v - max));
    const total = exps.reduce((a, b) => a + b, 0);
    out.push(...exps.map((e) => e / total));
  }
  return out;
}

/**
 * The model's output for one sample (flattened row-major), in float64. Dropout is the
 * identity, as at inference.
 */
export function referenceForward(model: Pick<SavedModel, 'inputShape' | 'layers'>, sample: ArrayLike<number>): number[] {
  let shape = [...model.inputShape];
  let values = Array.from(sample);
  for (const layer of model.layers) {
    switch (layer.kind) {
      case 'dense': {
        const inputs = shape[shape.length - 1];
        const rows = values.length / inputs;
        const out = new Array<number>(rows * layer.units).fill(0);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < layer.units; j++) {
            let sum = layer.bias === null ? 0 : layer.bias[j];
            for (let i = 0; i < inputs; i++) sum += values[r * inputs + i] * layer.kernel[i * layer.units + j];
            out[r * layer.units + j] = sum;
          }
        }
        shape = [...shape.slice(0, -1), layer.units];
        values = activate(layer.activation, out, layer.units);
        break;
      }
      case 'activation':
        values = activate(layer.activation, values, shape[shape.length - 1]);
        break;
      case 'flatten':
        shape = [values.length];
        break;
      case 'dropout':
        break;
    }
  }
  return values;
}
