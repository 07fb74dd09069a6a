import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  foldIn,
  grad,
  key,
  mean,
  mul,
  pool2dGeometry,
  softmax,
  square,
  stopGradient,
  sub,
  sum,
  type Conv2DGeometry,
  type Tensor,
  type TensorTree,
} from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import {
  activationNames,
  layers,
  losses,
  type ActivationName,
  type ApplyContext,
  type Layer,
  type Loss,
} from '../src/index.js';
import type { AnyLayer, Conv2DParams } from '../src/layers/index.js';
import type { DenseParams } from '../src/layers/dense.js';
import { LayerError } from '../src/layers/layer.js';
import { labels, values64 } from './helpers.js';

// Whole models through the training objective (split output, folded losses), checked
// against central differences with respect to every parameter, over random
// architectures (dense and convolutional, batch normalization included), sizes, losses
// and inputs.

type Padding = 'valid' | 'same';

/** One layer of a random model, as data, so the same model can be built twice. */
type LayerSpec =
  | { readonly kind: 'dense'; readonly units: number; readonly activation: ActivationName; readonly useBias: boolean }
  | { readonly kind: 'activation'; readonly activation: ActivationName }
  | { readonly kind: 'dropout'; readonly rate: number }
  | { readonly kind: 'positions' }
  | { readonly kind: 'flatten' }
  | { readonly kind: 'nested'; readonly layers: readonly LayerSpec[] }
  | {
      readonly kind: 'conv2d';
      readonly filters: number;
      readonly kernel: number;
      readonly strides: number;
      readonly padding: Padding;
      readonly activation: ActivationName;
      readonly useBias: boolean;
    }
  | {
      readonly kind: 'maxPooling2d' | 'averagePooling2d';
      readonly pool: number;
      readonly strides: number;
      readonly padding: Padding;
    }
  | { readonly kind: 'globalAveragePooling2d' }
  | { readonly kind: 'batchNormalization'; readonly center: boolean; readonly scale: boolean };

const denseSpec = fc.record({
  kind: fc.constant('dense' as const),
  units: fc.integer({ min: 1, max: 4 }),
  activation: fc.constantFrom(...activationNames),
  useBias: fc.boolean(),
});

const activationSpec = fc.record({
  kind: fc.constant('activation' as const),
  activation: fc.constantFrom(...activationNames),
});
const dropoutSpec = fc.record({
  kind: fc.constant('dropout' as const),
  rate: fc.double({ min: 0, max: 0.5, noNaN: true }),
});
const batchNormSpec = fc.record({
  kind: fc.constant('batchNormalization' as const),
  center: fc.boolean(),
  scale: fc.boolean(),
});

/** Layers over feature vectors. */
const blockSpec: fc.Arbitrary<LayerSpec> = fc.oneof(
  { weight: 3, arbitrary: denseSpec },
  { weight: 1, arbitrary: activationSpec },
  { weight: 1, arbitrary: dropoutSpec },
  { weight: 1, arbitrary: batchNormSpec },
  // Splits each sample into positions of one feature, so later layers see rank-3 batches.
  { weight: 1, arbitrary: fc.constant({ kind: 'positions' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('nested' as const),
      layers: fc.array(denseSpec, { minLength: 1, maxLength: 2 }),
    }),
  },
);

const paddingArb = fc.constantFrom('valid' as const, 'same' as const);

/** Layers over images. */
const imageBlockSpec: fc.Arbitrary<LayerSpec> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('conv2d' as const),
      filters: fc.integer({ min: 1, max: 3 }),
      kernel: fc.integer({ min: 1, max: 3 }),
      strides: fc.integer({ min: 1, max: 2 }),
      padding: paddingArb,
      activation: fc.constantFrom(...activationNames),
      useBias: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('maxPooling2d' as const, 'averagePooling2d' as const),
      pool: fc.integer({ min: 1, max: 3 }),
      strides: fc.integer({ min: 1, max: 2 }),
      padding: paddingArb,
    }),
  },
  { weight: 1, arbitrary: batchNormSpec },
  { weight: 1, arbitrary: activationSpec },
  { weight: 1, arbitrary: dropoutSpec },
);

/** The model's output and the loss on it, with targets for a batch. */
interface Head {
  readonly name: string;
  readonly layers: (outputs: number) => readonly LayerSpec[];
  readonly loss: Loss;
  readonly targets: (seed: number, batch: number, outputs: number) => Tensor;
}

const dense = (units: number, activation: ActivationName = 'linear'): LayerSpec => ({
  kind: 'dense',
  units,
  activation,
  useBias: true,
});
const probabilities = (seed: number, batch: number, classes: number): Tensor =>
  softmax(values64(seed, [batch, classes], -2, 2));
const classLabels = (seed: number, batch: number, classes: number): Tensor => labels(seed, batch, classes);

const heads: readonly Head[] = [
  {
    name: 'dense(softmax), sparse cross-entropy',
    layers: (n) => [dense(n, 'softmax')],
    loss: losses.sparseCategoricalCrossentropy(),
    targets: classLabels,
  },
  {
    name: 'dense, sparse cross-entropy from logits',
    layers: (n) => [dense(n)],
    loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }),
    targets: classLabels,
  },
  {
    name: 'dense → softmax layer, categorical cross-entropy',
    layers: (n) => [dense(n), { kind: 'activation', activation: 'softmax' }],
    loss: losses.categoricalCrossentropy(),
    targets: probabilities,
  },
  {
    name: 'dense, categorical cross-entropy from logits',
    layers: (n) => [dense(n)],
    loss: losses.categoricalCrossentropy({ fromLogits: true }),
    targets: probabilities,
  },
  {
    name: 'dense(sigmoid), binary cross-entropy',
    layers: (n) => [dense(n, 'sigmoid')],
    loss: losses.binaryCrossentropy(),
    targets: (s, b, n) => values64(s, [b, n], 0, 1),
  },
  {
    name: 'dense(tanh) → dense, binary cross-entropy from logits',
    layers: (n) => [dense(3, 'tanh'), dense(n)],
    loss: losses.binaryCrossentropy({ fromLogits: true }),
    targets: (s, b, n) => values64(s, [b, n], 0, 1),
  },
  {
    name: 'dense, mean squared error',
    layers: (n) => [dense(n)],
    loss: losses.meanSquaredError(),
    targets: (s, b, n) => values64(s, [b, n]),
  },
  {
    name: 'dense, mean absolute error',
    layers: (n) => [dense(n)],
    loss: losses.meanAbsoluteError(),
    targets: (s, b, n) => values64(s, [b, n]),
  },
];

/** A random model: the layers that take its input to feature vectors, a body, a head. */
const modelArb = fc.record({
  seed: fc.nat(10_000),
  batch: fc.integer({ min: 1, max: 3 }),
  front: fc.oneof(
    fc.record({
      inputShape: fc.constantFrom([3], [2, 2], [1]),
      layers: fc.constant([{ kind: 'flatten' }] as LayerSpec[]),
    }),
    fc.record({
      inputShape: fc.tuple(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 2 }),
      ),
      layers: fc
        .tuple(
          fc.array(imageBlockSpec, { minLength: 1, maxLength: 3 }),
          fc.constantFrom<LayerSpec>({ kind: 'flatten' }, { kind: 'globalAveragePooling2d' }),
        )
        .map(([blocks, last]) => [...blocks, last]),
    }),
  ),
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
      case 'conv2d':
        return layers.conv2d(spec.filters, spec.kernel, {
          strides: spec.strides,
          padding: spec.padding,
          activation: spec.activation,
          useBias: spec.useBias,
        });
      case 'maxPooling2d':
        return layers.maxPooling2d(spec.pool, { strides: spec.strides, padding: spec.padding });
      case 'averagePooling2d':
        return layers.averagePooling2d(spec.pool, { strides: spec.strides, padding: spec.padding });
      case 'globalAveragePooling2d':
        return layers.globalAveragePooling2d();
      case 'batchNormalization':
        return layers.batchNormalization({ center: spec.center, scale: spec.scale });
    }
  });

const nestSequential = (inner: readonly AnyLayer[]): AnyLayer => layers.sequential(inner);

/** A model's specs: its front, the body, back to [batch, features], the head. */
const specsOf = ({ front, body, head, outputs }: ModelCase): LayerSpec[] => [
  ...front.layers,
  ...body,
  { kind: 'flatten' },
  ...head.layers(outputs),
];

/** Activations with a kink at 0: relu and leakyRelu jump in slope, elu (alpha 1) in curvature. */
const firstOrderKinks: ReadonlySet<ActivationName> = new Set(['relu', 'leakyRelu']);
const secondOrderKinks: ReadonlySet<ActivationName> = new Set(['relu', 'leakyRelu', 'elu']);

/** The first `count` entries of a sequential model's state (absent when no layer has state). */
const stateOfFirst = (state: TensorTree, count: number): TensorTree | undefined =>
  Array.isArray(state) ? state.slice(0, count) : undefined;

const smallest = (t: Tensor): number => Math.min(...Array.from(abs(t).values));

/** The smallest gap between the two largest values of any max-pooling window of `x`. */
const smallestWindowGap = (x: Tensor, g: Conv2DGeometry): number => {
  const v = x.values;
  let gap = Infinity;
  for (let b = 0; b < g.batch; b++)
    for (let oh = 0; oh < g.outHeight; oh++)
      for (let ow = 0; ow < g.outWidth; ow++)
        for (let c = 0; c < g.inChannels; c++) {
          let first = -Infinity;
          let second = -Infinity;
          for (let fh = 0; fh < g.filterHeight; fh++)
            for (let fw = 0; fw < g.filterWidth; fw++) {
              const ih = oh * g.strideHeight - g.padTop + fh;
              const iw = ow * g.strideWidth - g.padLeft + fw;
              if (ih < 0 || ih >= g.inHeight || iw < 0 || iw >= g.inWidth) continue;
              const value = v[((b * g.inHeight + ih) * g.inWidth + iw) * g.inChannels + c];
              if (value > first) [first, second] = [value, first];
              else if (value > second) second = value;
            }
          if (second > -Infinity) gap = Math.min(gap, first - second);
        }
  return gap;
};

/**
 * How far the model stays from its kinks (Infinity when it has none): the smallest
 * |input| of a kinked activation, and the smallest gap between the two largest values
 * of a max-pooling window. A kink within a finite-difference step of a parameter makes
 * the comparison meaningless, so such draws are skipped. Each prefix of a sequential
 * model, applied with the same context and state, reproduces the input the next layer
 * sees, dropout masks and batch statistics included.
 */
const kinkMargin = (
  specs: readonly LayerSpec[],
  params: readonly TensorTree[],
  state: TensorTree,
  x: Tensor,
  ctx: ApplyContext,
  kinked: ReadonlySet<ActivationName>,
): number => {
  const plain = build(specs, nestSequential);
  return specs.reduce((margin, spec, i) => {
    const input = layers.applyLayer(
      layers.sequential(plain.slice(0, i)),
      params.slice(0, i),
      x,
      ctx,
      stateOfFirst(state, i),
    ).y;
    const own = { training: ctx.training, key: ctx.key && foldIn(ctx.key, i) };
    switch (spec.kind) {
      case 'dense':
        return kinked.has(spec.activation)
          ? Math.min(
              margin,
              smallest(layers.dense(spec.units, { useBias: spec.useBias }).apply(params[i] as DenseParams, input)),
            )
          : margin;
      case 'conv2d': {
        if (!kinked.has(spec.activation)) return margin;
        const linear = layers.conv2d(spec.filters, spec.kernel, {
          strides: spec.strides,
          padding: spec.padding,
          useBias: spec.useBias,
        });
        return Math.min(margin, smallest(linear.apply(params[i] as Conv2DParams, input)));
      }
      case 'activation':
        return kinked.has(spec.activation) ? Math.min(margin, smallest(input)) : margin;
      case 'maxPooling2d':
        return Math.min(
          margin,
          smallestWindowGap(
            input,
            pool2dGeometry('maxPool2d', input.shape, spec.pool, { strides: spec.strides, padding: spec.padding }),
          ),
        );
      case 'nested': {
        const inner = Array.isArray(state) ? (state[i] as TensorTree) : {};
        return Math.min(margin, kinkMargin(spec.layers, params[i] as readonly TensorTree[], inner, input, own, kinked));
      }
      default:
        return margin;
    }
  }, Infinity);
};

/** A drawn model, ready to differentiate; undefined when its windows do not fit its input. */
const instantiate = (c: ModelCase, nest: (inner: readonly AnyLayer[]) => AnyLayer) => {
  const specs = specsOf(c);
  const model = layers.sequential(build(specs, nest));
  let initialized;
  try {
    initialized = layers.initLayer(model, key(c.seed), c.front.inputShape, { dtype: 'float64' });
  } catch (error) {
    if (error instanceof LayerError) return undefined;
    throw error;
  }
  const { params, state } = initialized;
  const x = values64(c.seed + 1, [c.batch, ...c.front.inputShape], -1, 1, 0.05);
  const targets = c.head.targets(c.seed + 2, c.batch, c.outputs);
  const ctx = { training: true, key: key(c.seed + 3) };
  /** The training objective, as `trainStep` computes it: the split output with the loss folded in. */
  const objective = (p: readonly TensorTree[], input: Tensor): Tensor =>
    mean(c.head.loss.perSampleFromSplit(targets, layers.applyLayerSplit(model, p, input, ctx, state).split));
  const margin = (kinked: ReadonlySet<ActivationName>): number => {
    const kinks = kinkMargin(specs, params, state, x, ctx, kinked);
    if (c.head.loss.name !== 'meanAbsoluteError') return kinks;
    return Math.min(kinks, smallest(sub(layers.applyLayer(model, params, x, ctx, state).y, targets)));
  };
  return { params, x, objective, margin };
};

/** The property: a random model's training objective has the gradients central differences give. */
const modelGradientProperty = (nest: (inner: readonly AnyLayer[]) => AnyLayer) =>
  fc.property(modelArb, (c: ModelCase) => {
    const drawn = instantiate(c, nest);
    fc.pre(drawn !== undefined && drawn.margin(firstOrderKinks) > 2e-3);
    assertGradients((p: readonly TensorTree[]) => drawn.objective(p, drawn.x), drawn.params, {
      rtol: 1e-5,
      atol: 1e-8,
    });
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
    expect(() => fc.assert(modelGradientProperty(cutsItsInput), { numRuns: 200, includeErrorInReport: true })).toThrow(
      /gradient mismatch/,
    );
  });

  it('give exact gradient penalties: the objective plus the squared norm of its gradient by the inputs', () => {
    fc.assert(
      fc.property(modelArb, (c: ModelCase) => {
        const drawn = instantiate(c, nestSequential);
        // Second derivatives also jump where elu's curvature does.
        fc.pre(drawn !== undefined && drawn.margin(secondOrderKinks) > 2e-3);
        const penalized = (p: readonly TensorTree[]) =>
          add(
            drawn.objective(p, drawn.x),
            mul(sum(square(grad((input: Tensor) => drawn.objective(p, input))(drawn.x))), 0.5),
          );
        assertGradients(penalized, drawn.params, { rtol: 1e-5, atol: 1e-8 });
      }),
      { numRuns: 15 },
    );
  });
});
