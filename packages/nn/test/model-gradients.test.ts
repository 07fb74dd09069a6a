import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abs, foldIn, key, mean, softmax, stopGradient, sub, type Tensor, type TensorTree } from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { activationNames, layers, losses, type ActivationName, type ApplyContext, type Layer, type Loss } from '../src/index.js';
import type { AnyLayer } from '../src/layers/index.js';
import type { DenseParams } from '../src/layers/dense.js';
import { labels, values64 } from './helpers.js';

// Whole models through the training objective (split output, folded losses), checked
// against central differences with respect to every parameter, over random
// architectures, sizes, losses and inputs.

/** One layer of a random model, as data, so the same model can be built twice. */
type LayerSpec =
  | { readonly kind: 'dense'; readonly units: number; readonly activation: ActivationName; readonly useBias: boolean }
  | { readonly kind: 'activation'; readonly activation: ActivationName }
  | { readonly kind: 'dropout'; readonly rate: number }
  | { readonly kind: 'positions' }
  | { readonly kind: 'flatten' }
  | { readonly kind: 'nested'; readonly layers: readonly LayerSpec[] };

const denseSpec = fc.record({
  kind: fc.constant('dense' as const),
  units: fc.integer({ min: 1, max: 4 }),
  activation: fc.constantFrom(...activationNames),
  useBias: fc.boolean(),
});

const blockSpec: fc.Arbitrary<LayerSpec> = fc.oneof(
  { weight: 3, arbitrary: denseSpec },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('activation' as const), activation: fc.constantFrom(...activationNames) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropout' as const), rate: fc.double({ min: 0, max: 0.5, noNaN: true }) }) },
  // Splits each sample into positions of one feature, so later layers see rank-3 batches.
  { weight: 1, arbitrary: fc.constant({ kind: 'positions' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nested' as const), layers: fc.array(denseSpec, { minLength: 1, maxLength: 2 }) }) },
);

/** The model's output and the loss on it, with targets for a batch. */
interface Head {
  readonly name: string;
  readonly layers: (outputs: number) => readonly LayerSpec[];
  readonly loss: Loss;
  readonly targets: (seed: number, batch: number, outputs: number) => Tensor;
}

const dense = (units: number, activation: ActivationName = 'linear'): LayerSpec => ({ kind: 'dense', units, activation, useBias: true });
const probabilities = (seed: number, batch: number, classes: number): Tensor => softmax(values64(seed, [batch, classes], -2, 2));
const classLabels = (seed: number, batch: number, classes: number): Tensor => labels(seed, batch, classes);

const heads: readonly Head[] = [
  { name: 'dense(softmax), sparse cross-entropy', layers: (n) => [dense(n, 'softmax')], loss: losses.sparseCategoricalCrossentropy(), targets: classLabels },
  { name: 'dense, sparse cross-entropy from logits', layers: (n) => [dense(n)], loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }), targets: classLabels },
  { name: 'dense → softmax layer, categorical cross-entropy', layers: (n) => [dense(n), { kind: 'activation', activation: 'softmax' }], loss: losses.categoricalCrossentropy(), targets: probabilities },
  { name: 'dense, categorical cross-entropy from logits', layers: (n) => [dense(n)], loss: losses.categoricalCrossentropy({ fromLogits: true }), targets: probabilities },
  { name: 'dense(sigmoid), binary cross-entropy', layers: (n) => [dense(n, 'sigmoid')], loss: losses.binaryCrossentropy(), targets: (s, b, n) => values64(s, [b, n], 0, 1) },
  { name: 'dense(tanh) → dense, binary cross-entropy from logits', layers: (n) => [dense(3, 'tanh'), dense(n)], loss: losses.binaryCrossentropy({ fromLogits: true }), targets: (s, b, n) => values64(s, [b, n], 0, 1) },
  { name: 'dense, mean squared error', layers: (n) => [dense(n)], loss: losses.meanSquaredError(), targets: (s, b, n) => values64(s, [b, n]) },
  { name: 'dense, mean absolute error', layers: (n) => [dense(n)], loss: losses.meanAbsoluteError(), targets: (s, b, n) => values64(s, [b, n]) },
];

const modelArb = fc.record({
  seed: fc.nat(10_000),
  batch: fc.integer({ min: 1, max: 3 }),
  inputShape: fc.constantFrom([3], [2, 2], [1]),
  body: fc.array(blockSpec, { minLength: 0, maxLength: 3 }),
  head: fc.constantFrom(...heads),
  outputs: fc.integer({ min: 1, max: 3 }),
});
type ModelCase = typeof modelArb extends fc.Arbitrary<infer C> ? C : never;

/** Builds layers from specs; `nest` makes the nested models (the part a broken copy replaces). */
const build = (specs: readonly LayerSpec[], nest: (inner: readonly AnyLayer[]) => AnyLayer): AnyLayer[] =>
  specs.map((spec): AnyLayer => {
    switch (spec.kind) {
      case 'dense':
        return layers.dense(spec.units, { activation: spec.activation, useBias: spec.useBias });
      case 'activation':
        return layers.activation(spec.activation);
      case 'dropout':
        return layers.dropout(spec.rate);
      case 'positions':
        return layers.reshape([-1, 1]);
      case 'flatten':
        return layers.flatten();
      case 'nested':
        return nest(build(spec.layers, nest));
    }
  });

const nestSequential = (inner: readonly AnyLayer[]): AnyLayer => layers.sequential(inner);

/** A model's specs: samples flattened first, the body, back to [batch, features], the head. */
const specsOf = ({ body, head, outputs }: ModelCase): LayerSpec[] => [{ kind: 'flatten' }, ...body, { kind: 'flatten' }, ...head.layers(outputs)];

const kinked: ReadonlySet<ActivationName> = new Set(['relu', 'leakyRelu']);

/** The first `count` entries of a sequential model's state (absent when no layer has state). */
const stateOfFirst = (state: TensorTree, count: number): TensorTree | undefined => (Array.isArray(state) ? state.slice(0, count) : undefined);

/**
 * The smallest |input| that a relu or leakyRelu of the model sees (Infinity when none
 * does): a kink within a finite-difference step of a parameter makes the comparison
 * meaningless, so such draws are skipped. Each prefix of a sequential model, applied
 * with the same context, reproduces the input the next layer sees, dropout masks included.
 */
const kinkMargin = (specs: readonly LayerSpec[], params: readonly TensorTree[], state: TensorTree, x: Tensor, ctx: ApplyContext): number => {
  const plain = build(specs, nestSequential);
  return specs.reduce((margin, spec, i) => {
    const input = layers.applyLayer(layers.sequential(plain.slice(0, i)), params.slice(0, i), x, ctx, stateOfFirst(state, i)).y;
    const own = { training: ctx.training, key: ctx.key && foldIn(ctx.key, i) };
    const smallest = (t: Tensor): number => Math.min(...Array.from(abs(t).values));
    if (spec.kind === 'dense' && kinked.has(spec.activation)) {
      const linear = layers.dense(spec.units, { useBias: spec.useBias });
      return Math.min(margin, smallest(linear.apply(params[i] as DenseParams, input)));
    }
    if (spec.kind === 'activation' && kinked.has(spec.activation)) return Math.min(margin, smallest(input));
    if (spec.kind === 'nested') {
      const inner = Array.isArray(state) ? (state[i] as TensorTree) : {};
      return Math.min(margin, kinkMargin(spec.layers, params[i] as readonly TensorTree[], inner, input, own));
    }
    return margin;
  }, Infinity);
};

/**
 * The property: a random model's training objective (the split output and the loss
 * folded into it, as `trainStep` computes it) has the gradients central differences give.
 */
const modelGradientProperty = (nest: (inner: readonly AnyLayer[]) => AnyLayer) =>
  fc.property(modelArb, (c: ModelCase) => {
    const specs = specsOf(c);
    const model = layers.sequential(build(specs, nest));
    const { params, state } = layers.initLayer(model, key(c.seed), c.inputShape, { dtype: 'float64' });
    const x = values64(c.seed + 1, [c.batch, ...c.inputShape], -1, 1, 0.05);
    const targets = c.head.targets(c.seed + 2, c.batch, c.outputs);
    const ctx = { training: true, key: key(c.seed + 3) };
    fc.pre(kinkMargin(specs, params, state, x, ctx) > 1e-3);
    if (c.head.loss.name === 'meanAbsoluteError') {
      fc.pre(abs(sub(layers.applyLayer(model, params, x, ctx, state).y, targets)).values.every((d) => d > 1e-3));
    }
    assertGradients(
      (p: readonly TensorTree[]) => mean(c.head.loss.perSampleFromSplit(targets, layers.applyLayerSplit(model, p, x, ctx, state).split)),
      params,
      { rtol: 1e-5, atol: 1e-8 },
    );
  });

describe('whole-model gradients (float64, random architectures and losses, central differences)', () => {
  it('agree for every parameter', () => {
    fc.assert(modelGradientProperty(nestSequential), { numRuns: 40 });
  });

  it('catch a nested model that cuts the gradient to the layers before it (a deliberately broken copy)', () => {
    // A nested sequential that treats its input as data, as a frozen feature extractor
    // would: right wherever it comes first, wrong after any layer with parameters.
    const cutsItsInput = (inner: readonly AnyLayer[]): AnyLayer => {
      const model = layers.sequential(inner as readonly Layer[]);
      return {
        ...model,
        apply: (p, x, ctx) => model.apply(p as readonly TensorTree[], stopGradient(x), ctx),
        applySplit: (p, x, ctx) => layers.applySplit(model, p as readonly TensorTree[], stopGradient(x), ctx),
      };
    };
    // fast-check stops at the first failure; the bound only matters if the property were blind.
    expect(() => fc.assert(modelGradientProperty(cutsItsInput), { numRuns: 200, includeErrorInReport: true })).toThrow(/gradient mismatch/);
  });
});

describe('whole-convnet gradients in training mode, batch normalization included (float64, central differences)', () => {
  it.each([['valid', 1], ['same', 2]] as const)('conv2d(%s, stride %i) → batchNormalization → relu → maxPooling → flatten → dense(softmax)', (padding, strides) => {
    const model = layers.sequential([
      layers.conv2d(3, 2, { padding, strides }),
      layers.batchNormalization(),
      layers.relu(),
      layers.maxPooling2d(2, { padding: 'same' }),
      layers.flatten(),
      layers.dense(3, { activation: 'softmax' }),
    ]);
    const { params, state } = model.init(key(7), [5, 5, 2], f64);
    const x = values64(8, [4, 5, 5, 2], -1, 1);
    const targets = labels(5, 4, 3);
    const loss = losses.sparseCategoricalCrossentropy();
    assertGradients(
      (p: readonly TensorTree[]) => mean(loss.perSampleFromSplit(targets, layers.applyLayerSplit(model, p, x, { training: true }, state).split)),
      params,
      { rtol: 1e-5, atol: 1e-8 },
    );
  });
});

