import fc from 'fast-check';
import { layers, type ActivationName, type Layer } from '@axon/nn';
import { key, uniform, type Shape, type Tensor, type TensorTree } from '@axon/tensor';
import { modelScores, type ScoreFunction } from '../../src/index.js';

/** A small random classifier in float64 with the inputs to explain. */
export interface Case {
  readonly description: string;
  readonly model: Layer;
  readonly params: TensorTree;
  readonly f: ScoreFunction;
  readonly x: Tensor<'float64'>;
  readonly classCount: number;
  /** How fast-check prints a failing case: its description, not its closures. */
  readonly [fc.toStringMethod]?: () => string;
}

/** Float64 values uniform in `[lo, hi)`. */
export const values64 = (seed: number, shape: Shape, lo = -1, hi = 1): Tensor<'float64'> =>
  uniform(key(seed), shape, { dtype: 'float64', minval: lo, maxval: hi });

const hiddenActivations: readonly ActivationName[] = ['tanh', 'relu', 'sigmoid', 'softplus', 'gelu'];
/** Activations with a continuous derivative, so gradients along a path have no jumps. */
export const smoothActivations: readonly ActivationName[] = ['tanh', 'sigmoid', 'softplus', 'gelu'];

/** The settings a case is built from. */
export interface CaseSettings {
  readonly features: number;
  readonly hidden: readonly { readonly units: number; readonly activation: ActivationName }[];
  readonly classCount: number;
  readonly softmax: boolean;
  readonly samples: number;
  readonly seed: number;
}

/** Builds the model, its float64 params and inputs in `[0, 1)` for the settings. */
export const buildCase = (s: CaseSettings): Case => {
  const model = layers.sequential([
    ...s.hidden.map((h) => layers.dense(h.units, { activation: h.activation })),
    layers.dense(s.classCount, { activation: s.softmax ? 'softmax' : 'linear' }),
  ]);
  const { params } = model.init(key(s.seed), [s.features], { dtype: 'float64' });
  const description = `${s.features} → ${s.hidden.map((h) => `${h.units} ${h.activation}`).join(' → ')} → ${s.classCount}${s.softmax ? ' softmax' : ''}`;
  const x = values64(s.seed + 1, [s.samples, s.features], 0, 1);
  return {
    description,
    model,
    params,
    f: modelScores(model, params),
    x,
    classCount: s.classCount,
    [fc.toStringMethod]: () => `${description}, seed ${s.seed}`,
  };
};

/**
 * Random multilayer perceptrons (1–2 hidden layers of 1–6 units, 2–4 classes, with or
 * without a final softmax) and 1–3 samples of 1–6 features.
 */
export const caseArb = (activations: readonly ActivationName[] = hiddenActivations): fc.Arbitrary<Case> =>
  fc
    .record({
      features: fc.integer({ min: 1, max: 6 }),
      hidden: fc.array(
        fc.record({ units: fc.integer({ min: 1, max: 6 }), activation: fc.constantFrom(...activations) }),
        { minLength: 1, maxLength: 2 },
      ),
      classCount: fc.integer({ min: 2, max: 4 }),
      softmax: fc.boolean(),
      samples: fc.integer({ min: 1, max: 3 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .map(buildCase);

/** The largest absolute difference between two tensors' values. */
export const maxDifference = (a: Tensor, b: Tensor): number => {
  const x = a.values;
  const y = b.values;
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst;
};

/** The largest absolute value of a tensor (at least 1e-300, to divide by). */
export const maxMagnitude = (a: Tensor): number =>
  Array.from(a.values).reduce((m, v) => Math.max(m, Math.abs(v)), 1e-300);
