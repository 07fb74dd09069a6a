import { activationNames, type InitializerConfig, type LayerConfig } from '@axon/nn';
import { tensor, type Shape, type TensorTree } from '@axon/tensor';
import fc from 'fast-check';
import type { UserMetadata } from '../layers-model/model-json.js';
import type { SavedModel } from '../layers-model/saved-model.js';

/** Any activation axon has. */
export const activationArbitrary = fc.constantFrom(...activationNames);

/** Exactly `length` float32 values, finite and of moderate size so forward passes stay finite. */
export const float32s = (length: number): fc.Arbitrary<Float32Array> =>
  fc
    .array(fc.float({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }), {
      minLength: length,
      maxLength: length,
    })
    .map((values) => Float32Array.from(values));

/** Doubles in [min, max] that survive JSON, which has no -0. */
const jsonDouble = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true }).map((x) => (Object.is(x, -0) ? 0 : x));

const initializerArbitrary: fc.Arbitrary<InitializerConfig> = fc.oneof(
  fc.constantFrom<InitializerConfig>(
    { kind: 'glorotUniform' },
    { kind: 'glorotNormal' },
    { kind: 'heUniform' },
    { kind: 'heNormal' },
    { kind: 'lecunNormal' },
    { kind: 'zeros' },
    { kind: 'ones' },
  ),
  jsonDouble(-1, 1).map((value): InitializerConfig => ({ kind: 'constant', value })),
);

/** A layer before the shape that reaches it is known: a reshape keeps only how to pick its target. */
type LayerPlan =
  | Exclude<LayerConfig, { kind: 'reshape' | 'sequential' }>
  | { readonly kind: 'reshape'; readonly split: number; readonly infer: boolean }
  | { readonly kind: 'sequential'; readonly layers: readonly LayerPlan[] };

const leafPlan: fc.Arbitrary<LayerPlan> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('dense' as const),
      units: fc.integer({ min: 1, max: 6 }),
      activation: activationArbitrary,
      useBias: fc.boolean(),
      kernelInitializer: initializerArbitrary,
      biasInitializer: initializerArbitrary,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropout' as const), rate: jsonDouble(0, 0.9) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flatten' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('activation' as const), activation: activationArbitrary }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reshape' as const), split: fc.nat(), infer: fc.boolean() }) },
);

const layerPlans: fc.Arbitrary<LayerPlan[]> = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: leafPlan },
    {
      weight: 1,
      arbitrary: fc
        .array(leafPlan, { minLength: 1, maxLength: 3 })
        .map((layers): LayerPlan => ({ kind: 'sequential', layers })),
    },
  ),
  { minLength: 1, maxLength: 5 },
);

const sizeOf = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

/** Layers built from plans for samples of `shape`, with their shapes of weights; undefined when a plan cannot take its input. */
function build(
  plans: readonly LayerPlan[],
  shape: Shape,
): { layers: LayerConfig[]; weights: Shape[]; shape: Shape } | undefined {
  const layers: LayerConfig[] = [];
  const weights: Shape[] = [];
  for (const plan of plans) {
    switch (plan.kind) {
      case 'dense':
        if (shape.length === 0) return undefined;
        weights.push([shape[shape.length - 1], plan.units], ...(plan.useBias ? [[plan.units]] : []));
        layers.push(plan);
        shape = [...shape.slice(0, -1), plan.units];
        break;
      case 'flatten':
        // TensorFlow.js refuses to flatten samples of one axis.
        if (shape.length < 2) return undefined;
        layers.push(plan);
        shape = [sizeOf(shape)];
        break;
      case 'reshape': {
        const size = sizeOf(shape);
        const divisors = Array.from({ length: size }, (_, i) => i + 1).filter((d) => size % d === 0);
        const first = divisors[plan.split % divisors.length];
        const target = first === size ? [size] : [first, size / first];
        layers.push({ kind: 'reshape', targetShape: plan.infer ? [...target.slice(0, -1), -1] : target });
        shape = target;
        break;
      }
      case 'sequential': {
        const inner = build(plan.layers, shape);
        if (inner === undefined) return undefined;
        layers.push({ kind: 'sequential', layers: inner.layers });
        weights.push(...inner.weights);
        shape = inner.shape;
        break;
      }
      default:
        layers.push(plan);
    }
  }
  return { layers, weights, shape };
}

/** Each layer's params, taking weight arrays in order. */
const paramsOf = (layers: readonly LayerConfig[], next: () => TensorTree): TensorTree[] =>
  layers.map((layer): TensorTree => {
    if (layer.kind === 'sequential') return paramsOf(layer.layers, next);
    if (layer.kind !== 'dense') return {};
    const kernel = next();
    return layer.useBias ? { kernel, bias: next() } : { kernel };
  });

/**
 * Metadata for a model with `classes` output units: any JSON object, as a writer may
 * keep any (TensorFlow.js keeps `userDefinedMetadata` as given).
 */
export type MetadataArbitrary = (classes: number) => fc.Arbitrary<UserMetadata>;

const jsonObject: MetadataArbitrary = () =>
  fc.dictionary(
    fc.string(),
    fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown),
    { maxKeys: 3 },
  );

/**
 * Small sequential models of every layer kind the file format holds (nested
 * sequentials, reshapes with an inferred extent, leaky-ReLU dense layers among them),
 * with float32 params and, or not, metadata.
 *
 * @param metadataFor The metadata of a model with a given number of output units.
 * @example
 * fc.assert(fc.property(savedModelArbitrary(), (model) => …));
 */
export const savedModelArbitrary = (metadataFor: MetadataArbitrary = jsonObject): fc.Arbitrary<SavedModel> =>
  fc
    .record({ inputShape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), plans: layerPlans })
    .map(({ inputShape, plans }) => ({ inputShape, built: build(plans, inputShape) }))
    .filter(
      (candidate): candidate is { inputShape: number[]; built: NonNullable<ReturnType<typeof build>> } =>
        candidate.built !== undefined,
    )
    .chain(({ inputShape, built }) =>
      fc
        .tuple(
          fc.tuple(...built.weights.map((shape) => float32s(sizeOf(shape)))),
          fc.option(metadataFor(built.shape[built.shape.length - 1]), { nil: null }),
        )
        .map(([arrays, metadata]) => {
          let next = 0;
          const take = (): TensorTree => {
            const shape = built.weights[next];
            return tensor(arrays[next++], { shape });
          };
          return {
            inputShape,
            config: { kind: 'sequential' as const, layers: built.layers },
            params: paramsOf(built.layers, take),
            metadata,
          };
        }),
    );
