import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { KerasActivation } from '../layers-model/keras-activation.js';
import type { UserMetadata } from '../layers-model/model-json.js';
import type { LayerSpec, SavedModel } from '../layers-model/saved-model.js';
import { outlineOf, outputUnits, type WeightLayout, weightLayout } from '../layers-model/weight-layout.js';

/** Any activation name the file format carries. */
export const activationArbitrary = fc.constantFrom(...KerasActivation.values);

/** Exactly `length` float32 values, finite and of moderate size so forward passes stay finite. */
export const float32s = (length: number): fc.Arbitrary<Float32Array> =>
  fc
    .array(fc.float({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }), { minLength: length, maxLength: length })
    .map((values) => Float32Array.from(values));

/** Doubles in [min, max] that survive JSON, which has no -0. */
const jsonDouble = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true }).map((x) => (Object.is(x, -0) ? 0 : x));

type LayerPlan =
  | { kind: 'dense'; units: number; activation: KerasActivation; useBias: boolean }
  | { kind: 'dropout'; rate: number }
  | { kind: 'flatten' }
  | { kind: 'activation'; activation: KerasActivation };

const layerPlan: fc.Arbitrary<LayerPlan> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('dense' as const), units: fc.integer({ min: 1, max: 6 }), activation: activationArbitrary, useBias: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropout' as const), rate: jsonDouble(0, 0.9) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flatten' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('activation' as const), activation: activationArbitrary }) },
);

/** The layers of a plan with empty weight arrays. */
const skeletonOf = (plans: readonly LayerPlan[]): LayerSpec[] =>
  plans.map((plan) =>
    plan.kind === 'dense'
      ? { kind: 'dense', units: plan.units, activation: plan.activation, kernel: new Float32Array(0), bias: plan.useBias ? new Float32Array(0) : null }
      : plan,
  );

/** The weight layout of a plan that fits its input shape. */
const layoutOf = (inputShape: readonly number[], layers: readonly LayerSpec[]): WeightLayout => {
  const layout = weightLayout(inputShape, outlineOf(layers));
  if (E.isLeft(layout)) throw new Error(`arbitrary produced an invalid plan: ${layout.left.expected}`);
  return layout.right;
};

/** Fills a plan with weights of the sizes its layers need. */
function withWeights(inputShape: readonly number[], plans: readonly LayerPlan[]): fc.Arbitrary<LayerSpec[]> {
  const skeleton = skeletonOf(plans);
  const layout = layoutOf(inputShape, skeleton);
  return fc.tuple(...layout.slots.map((slot) => float32s(slot.shape.reduce((a, b) => a * b, 1)))).map((arrays) => {
    let next = 0;
    return skeleton.map((layer) =>
      layer.kind === 'dense' ? { ...layer, kernel: arrays[next++], bias: layer.bias === null ? null : arrays[next++] } : layer,
    );
  });
}

/**
 * Metadata for a model with `classes` output units: any JSON object, as a writer may
 * keep any (TensorFlow.js keeps `userDefinedMetadata` as given).
 */
export type MetadataArbitrary = (classes: number) => fc.Arbitrary<UserMetadata>;

const jsonObject: MetadataArbitrary = () =>
  fc.dictionary(fc.string(), fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown), { maxKeys: 3 });

/**
 * Small sequential models of every layer kind, with or without metadata.
 *
 * @param metadataFor The metadata of a model with a given number of output units.
 * @example
 * fc.assert(fc.property(savedModelArbitrary(), (model) => …));
 */
export const savedModelArbitrary = (metadataFor: MetadataArbitrary = jsonObject): fc.Arbitrary<SavedModel> => fc
  .record({
    inputShape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
    plans: fc.array(layerPlan, { minLength: 1, maxLength: 5 }),
  })
  .filter(({ inputShape, plans }) => E.isRight(weightLayout(inputShape, outlineOf(skeletonOf(plans)))))
  .chain(({ inputShape, plans }) =>
    withWeights(inputShape, plans).chain((layers) => {
      const classes = outputUnits(layoutOf(inputShape, layers));
      return fc.option(metadataFor(classes), { nil: null }).map((metadata) => ({ inputShape, layers, metadata }));
    }),
  );
