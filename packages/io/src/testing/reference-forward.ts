import type { ActivationName, LayerConfig } from '@axon/nn';
import type { Tensor, TensorTree } from '@axon/tensor';
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

const elementwise: Record<Exclude<ActivationName, 'softmax'>, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(0, x),
  leakyRelu: (x) => (x >= 0 ? x : 0.2 * x),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  sigmoid,
  tanh: Math.tanh,
  softplus,
};

/** Applies an activation to each row (the last axis) of `values`. */
function activate(activation: ActivationName, values: number[], rowLength: number): number[] {
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

const valuesOf = (params: TensorTree, key: string): ArrayLike<number> =>
  (params as Readonly<Record<string, Tensor>>)[key].values;

/** Runs layers over one sample's values of `shape`, in float64. */
function forward(
  configs: readonly LayerConfig[],
  params: readonly TensorTree[],
  shape: number[],
  values: number[],
): { shape: number[]; values: number[] } {
  configs.forEach((layer, index) => {
    switch (layer.kind) {
      case 'dense': {
        const kernel = valuesOf(params[index], 'kernel');
        const bias = layer.useBias ? valuesOf(params[index], 'bias') : null;
        const inputs = shape[shape.length - 1];
        const rows = values.length / inputs;
        const out = new Array<number>(rows * layer.units).fill(0);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < layer.units; j++) {
            let sum = bias === null ? 0 : bias[j];
            for (let i = 0; i < inputs; i++) sum += values[r * inputs + i] * kernel[i * layer.units + j];
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
      case 'reshape': {
        const known = layer.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
        shape = layer.targetShape.map((d) => (d === -1 ? values.length / known : d));
        break;
      }
      case 'dropout':
        break;
      case 'sequential':
        ({ shape, values } = forward(layer.layers, params[index] as readonly TensorTree[], shape, values));
        break;
    }
  });
  return { shape, values };
}

/**
 * A model's output for one sample (flattened row-major), in float64, written from the
 * Keras definitions of the layers and activations (leaky ReLU with slope 0.2, exact
 * GELU). Dropout is the identity, as at inference.
 *
 * @example
 * referenceForward(saved, pixels); // [0.01, 0.97, …]
 */
export function referenceForward(
  model: Pick<SavedModel, 'inputShape' | 'config' | 'params'>,
  sample: ArrayLike<number>,
): number[] {
  return forward(model.config.layers, model.params, [...model.inputShape], Array.from(sample)).values;
}
