import * as t from 'io-ts';
import { FiniteNumber, PositiveNumber } from '../codec/numbers.js';
import { Text } from '../codec/primitives.js';
import { taggedUnion } from '../codec/tagged-union.js';
import { TrainingHistory } from '../training/history.js';
import { TrainingSettings } from '../training/settings.js';

/**
 * How raw pixel values (0–255, as stored in IDX files) become network inputs:
 * multiplied by `scale` (the tutorial's 1/255), or standardized with a mean and a
 * standard deviation measured in raw pixel units.
 */
export const Normalization = taggedUnion(
  'kind',
  {
    scale: t.type({ kind: t.literal('scale'), scale: PositiveNumber }),
    standardize: t.type({ kind: t.literal('standardize'), mean: FiniteNumber, std: PositiveNumber }),
  },
  'a normalization ({ kind: "scale", scale } or { kind: "standardize", mean, std })',
);
/** A normalization of raw pixels. */
export type Normalization = t.TypeOf<typeof Normalization>;

/** The tutorial's normalization: raw pixels divided by 255. */
export const tutorialNormalization: Normalization = { kind: 'scale', scale: 1 / 255 };

/**
 * Applies a normalization to raw pixel values (0–255).
 *
 * @example
 * applyNormalization(tutorialNormalization, [0, 255]); // Float32Array [0, 1]
 * applyNormalization({ kind: 'standardize', mean: 33, std: 78 }, [33]); // Float32Array [0]
 */
export function applyNormalization(normalization: Normalization, rawPixels: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rawPixels.length);
  for (let i = 0; i < out.length; i++) {
    out[i] =
      normalization.kind === 'scale'
        ? rawPixels[i] * normalization.scale
        : (rawPixels[i] - normalization.mean) / normalization.std;
  }
  return out;
}

/**
 * What `axon` records about a model beside its layers and weights, stored under
 * `userDefinedMetadata.axon` in `model.json` (TensorFlow.js keeps such metadata and
 * ignores it when running the model).
 */
export const AxonMetadata = t.type(
  {
    /** Bumped when the shape of this record changes incompatibly. */
    formatVersion: t.literal(1),
    /** The `axon` version that wrote the model. */
    axonVersion: Text,
    training: TrainingSettings,
    normalization: Normalization,
    /** One name per output unit, in output order. */
    classNames: t.readonlyArray(Text, 'a list of strings'),
    history: TrainingHistory,
  },
  'axon metadata ({ formatVersion, axonVersion, training, normalization, classNames, history })',
);
/** The metadata `axon` keeps with a model. */
export type AxonMetadata = t.TypeOf<typeof AxonMetadata>;
