import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { Sequential, StatefulSequential } from '@axon/nn';
import { toBackend, type TensorTree } from '@axon/tensor';
import { openBackend, type BackendRequest, type OpenedBackend } from '../backends/open-backend.js';
import { modelJsonFile, renderModelFileError } from '@axon/io';
import { describeProblem } from '@axon/io/codec';
import { loadModel } from '@axon/io/node';
import { axonMetadataOf, tutorialNormalization, type Normalization } from './axon-metadata.js';
import type { DatasetName } from '../training/vocabulary.js';
import { outputUnitsOf } from './output-units.js';
import { modelOfSaved } from './saved-model-bridge.js';

/** A model read from its directory, with params on the backend it will run on. */
export interface ReadyModel {
  readonly model: Sequential | StatefulSequential;
  readonly params: readonly TensorTree[];
  /** Batch normalization's moving statistics, on the same backend; undefined for a model without state. */
  readonly state: readonly TensorTree[] | undefined;
  /** The shape of one input sample. */
  readonly inputShape: readonly number[];
  readonly normalization: Normalization;
  readonly classNames: readonly string[];
  /** The data set it was trained on, when axon trained it. */
  readonly dataset: DatasetName | null;
  readonly backend: OpenedBackend;
}

/**
 * Reads and checks the model in `dir`, rebuilds it, and places its params and state on the
 * requested backend. A model another tool wrote (no axon metadata) is taken to expect
 * pixels scaled by 1/255, with its classes named by index. Left is one line.
 *
 * @example
 * const ready = await openModel('model', { backend: 'auto', gpuMode: 'auto', threads: null });
 */
export async function openModel(dir: string, request: BackendRequest): Promise<E.Either<string, ReadyModel>> {
  const saved = await loadModel(dir)();
  if (E.isLeft(saved)) return E.left(renderModelFileError(saved.left));
  const read = axonMetadataOf(saved.right);
  if (E.isLeft(read)) return E.left(`${path.join(dir, modelJsonFile)}: ${describeProblem(read.left)}`);
  const loaded = modelOfSaved(saved.right);
  const opened = await openBackend(request);
  if (E.isLeft(opened)) return opened;
  const metadata = read.right;
  const outputs = outputUnitsOf(saved.right);
  return E.right({
    model: loaded.model,
    params: toBackend(loaded.params, opened.right.backend),
    state: loaded.state === undefined ? undefined : toBackend(loaded.state, opened.right.backend),
    inputShape: loaded.inputShape,
    normalization: metadata?.normalization ?? tutorialNormalization,
    classNames: metadata?.classNames ?? Array.from({ length: outputs }, (_, i) => String(i)),
    dataset: metadata?.training.dataset ?? null,
    backend: opened.right,
  });
}

/**
 * The data set a command reads: the one named on the command line, else the one the
 * model was trained on.
 */
export function datasetFor(ready: ReadyModel, requested: DatasetName | null): E.Either<string, DatasetName> {
  const dataset = requested ?? ready.dataset;
  return dataset === null
    ? E.left('--dataset is needed: the model does not say which data set it was trained on')
    : E.right(dataset);
}
