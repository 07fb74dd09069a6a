import { savedModelOf as savedFormOf, type SavedModel } from '@axon/io';
import { layers, type Sequential, type StatefulSequential } from '@axon/nn';
import type { Shape, TensorTree } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { userMetadataOf, type AxonMetadata } from './axon-metadata.js';
import { outputUnitsOf } from './output-units.js';

/**
 * A trained model as the model file stores it, with axon's metadata. Left says why
 * the metadata cannot be written with it (class names that do not match the output
 * units, a value that would not load back).
 *
 * @example
 * savedModelOf(model, state.params, [28, 28], metadata);
 */
export function savedModelOf(
  model: Sequential | StatefulSequential,
  params: readonly TensorTree[],
  inputShape: Shape,
  metadata: AxonMetadata | null,
): E.Either<string, SavedModel> {
  const saved = savedFormOf(model, params, inputShape, null);
  if (metadata === null) return E.right(saved);
  const units = outputUnitsOf(saved);
  if (metadata.classNames.length !== units) {
    return E.left(`the metadata names ${metadata.classNames.length} classes but the output layer has ${units} units`);
  }
  return E.map((user: SavedModel['metadata']) => ({ ...saved, metadata: user }))(userMetadataOf(metadata));
}

/** A model rebuilt from its file: the layers, and their params (and state) on the plain TypeScript backend. */
export interface LoadedModel {
  readonly model: Sequential | StatefulSequential;
  readonly params: readonly TensorTree[];
  /** Batch normalization's moving statistics, one entry per layer; absent when no layer has state. */
  readonly state?: readonly TensorTree[];
  readonly inputShape: Shape;
}

/**
 * Rebuilds an axon model from a model file's configs.
 *
 * @example
 * modelOfSaved(saved); // { model, params, inputShape: [28, 28] }
 */
export function modelOfSaved(saved: SavedModel): LoadedModel {
  const model = layers.fromConfig(saved.config) as Sequential | StatefulSequential;
  return {
    model,
    params: saved.params,
    ...(saved.state === undefined ? {} : { state: saved.state }),
    inputShape: saved.inputShape,
  };
}
