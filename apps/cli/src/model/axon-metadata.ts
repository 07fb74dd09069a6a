import { modelJsonFile, type SavedModel, type UserMetadata } from '@axon/io';
import {
  type DecodeProblem,
  type PathSegment,
  decodeFirstProblem,
  describeProblem,
  FiniteNumber,
  PositiveNumber,
  Text,
  taggedUnion,
} from '@axon/io/codec';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { TrainingHistory } from '../training/history.js';
import { outputUnitsOf } from './output-units.js';
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

/** The key of axon's metadata in a model file's `userDefinedMetadata`. */
const metadataKey = 'axon';

/**
 * Axon's metadata as a model file keeps it: under `userDefinedMetadata.axon`, NaN
 * losses written as `null`. Left when the metadata holds a value that would not load
 * back (an epoch count of 0), so axon never writes a model it would refuse to read.
 *
 * @example
 * userMetadataOf(metadata); // right({ axon: { formatVersion: 1, … } })
 */
export function userMetadataOf(metadata: AxonMetadata): E.Either<string, UserMetadata> {
  const encoded = AxonMetadata.encode(metadata);
  return pipe(
    decodeFirstProblem(AxonMetadata, encoded),
    E.bimap(
      (problem) =>
        `${modelJsonFile} would not load: ${describeProblem({ ...problem, path: ['userDefinedMetadata', metadataKey, ...problem.path] })}`,
      (): UserMetadata => ({ [metadataKey]: encoded }),
    ),
  );
}

/**
 * Reads axon's metadata from a loaded model: `null` when another tool wrote the file
 * (no `axon` key), left with the field of `model.json` that is wrong, including class
 * names that do not match the output units.
 *
 * @example
 * axonMetadataOf(saved); // right({ formatVersion: 1, training: …, classNames: ['0', …], … })
 */
export function axonMetadataOf(saved: SavedModel): E.Either<DecodeProblem, AxonMetadata | null> {
  const stored = saved.metadata?.[metadataKey];
  if (stored === undefined) return E.right(null);
  const path: readonly PathSegment[] = ['userDefinedMetadata', metadataKey];
  return pipe(
    decodeFirstProblem(AxonMetadata, stored),
    E.mapLeft((problem): DecodeProblem => ({ ...problem, path: [...path, ...problem.path] })),
    E.filterOrElse(
      (metadata) => metadata.classNames.length === outputUnitsOf(saved),
      (metadata): DecodeProblem => ({
        path: [...path, 'classNames'],
        expected: `${outputUnitsOf(saved)} class names (one per output unit)`,
        value: metadata.classNames,
      }),
    ),
  );
}
