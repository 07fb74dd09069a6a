import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Callbacks, EpochEndEvent, EpochLog, LayerConfig, TrainState } from '@axon/nn';
import type { Backend, Shape, TensorTree } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from '../checkpoint/checkpoint.js';
import { checkpointDataFile, checkpointJsonFile } from '../checkpoint/file-names.js';
import { encodeModel } from '../layers-model/encode.js';
import { modelJsonFile, weightsFile } from '../layers-model/file-names.js';
import type { ModelFileError } from '../layers-model/model-file-error.js';
import type { JsonObject, UserMetadata } from '../layers-model/model-json.js';
import type { SavedModel } from '../layers-model/saved-model.js';
import { savedModelOf } from '../layers-model/saved-model-of.js';
import { describeIoError } from './io-error.js';
import { type DirectoryFile, loadModel, modelDirectoryCheck, writeDirectoryAtomically } from './model-directory.js';

/** What a checkpoint directory holds besides the checkpoint: the model as a model file. */
export interface CheckpointModel {
  readonly model: { readonly config: LayerConfig };
  /** The shape of one input sample. */
  readonly inputShape: Shape;
  /** Kept as the model file's `userDefinedMetadata`. */
  readonly metadata?: UserMetadata;
  /** Who wrote the files. `axon` unless stated. */
  readonly generatedBy?: string;
  /** More files written into the directory in the same atomic step. */
  readonly extraFiles?: readonly DirectoryFile[];
}

/**
 * Writes a checkpoint directory in one atomic step: the model as `model.json` and
 * `weights.bin` (so every checkpoint is also a model that axon and TensorFlow.js load)
 * beside `checkpoint.json` and `checkpoint.bin`, which {@link loadCheckpoint} reads to
 * continue training exactly. As with models, an existing directory is replaced only
 * when it holds a model and nothing else.
 *
 * @example
 * await saveCheckpoint('run', checkpoint, { model, inputShape: [28, 28] })();
 */
export function saveCheckpoint(
  directory: string,
  checkpoint: Checkpoint,
  options: CheckpointModel,
): TE.TaskEither<ModelFileError, void> {
  return async () => {
    const saved = savedModelOf(
      options.model,
      checkpoint.params,
      options.inputShape,
      options.metadata ?? null,
      checkpoint.modelState,
    );
    const model = encodeModel(saved, options.generatedBy ?? 'axon');
    if (E.isLeft(model)) return model;
    const encoded = encodeCheckpoint(checkpoint);
    if (E.isLeft(encoded)) return encoded;
    const files: DirectoryFile[] = [
      { name: modelJsonFile, contents: model.right.modelJson },
      { name: weightsFile, contents: model.right.weightsBin },
      { name: checkpointJsonFile, contents: encoded.right.json },
      { name: checkpointDataFile, contents: encoded.right.data },
      ...(options.extraFiles ?? []),
    ];
    return writeDirectoryAtomically(directory, files, modelDirectoryCheck(files.map((file) => file.name)))();
  };
}

/** A checkpoint directory as {@link loadCheckpoint} reads it. */
export interface LoadedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The model as the directory's model files hold it: its architecture, to check a resume against. */
  readonly model: SavedModel;
}

/**
 * Reads a checkpoint directory: the checkpoint (tensors on `backend`, the plain
 * TypeScript one unless given) and the model files beside it. Left is one error
 * naming the file and the field.
 *
 * @example
 * const loaded = await loadCheckpoint('run')();
 * if (E.isRight(loaded)) fit(plan, trainStateOf(loaded.right.checkpoint), data, { initialEpoch: loaded.right.checkpoint.epoch, epochs: 20 });
 */
export function loadCheckpoint(directory: string, backend?: Backend): TE.TaskEither<ModelFileError, LoadedCheckpoint> {
  return async () => {
    const model = await loadModel(directory)();
    if (E.isLeft(model)) return model;
    const read = async (name: string, encoding?: 'utf8'): Promise<E.Either<ModelFileError, string | Buffer>> => {
      const file = path.join(directory, name);
      try {
        return E.right(await readFile(file, encoding));
      } catch (error) {
        return E.left({ kind: 'io', file, message: describeIoError('read', error) });
      }
    };
    const json = await read(checkpointJsonFile, 'utf8');
    if (E.isLeft(json)) return json;
    const data = await read(checkpointDataFile);
    if (E.isLeft(data)) return data;
    const checkpoint = decodeCheckpoint(json.right as string, data.right as Buffer, backend);
    if (E.isLeft(checkpoint)) {
      const error = checkpoint.left;
      return E.left(
        'file' in error
          ? {
              ...error,
              file: error.file
                .split(', ')
                .map((name) => path.join(directory, name))
                .join(', '),
            }
          : error,
      );
    }
    return E.right({ checkpoint: checkpoint.right, model: model.right });
  };
}

/**
 * The training state a checkpoint continues from, for `fit` (with
 * `initialEpoch: checkpoint.epoch`).
 *
 * @example
 * await fit(plan, trainStateOf(checkpoint), data, { initialEpoch: checkpoint.epoch, epochs: 20 });
 */
export const trainStateOf = <P extends TensorTree, S>(checkpoint: Checkpoint): TrainState<P, S> => ({
  params: checkpoint.params as P,
  optState: checkpoint.optState as S,
  modelState: checkpoint.modelState,
  step: checkpoint.step,
  key: checkpoint.key,
});

/** Options of {@link checkpointWriter}. */
export interface CheckpointWriterOptions extends Omit<CheckpointModel, 'extraFiles' | 'metadata'> {
  /** Write a checkpoint after every `every`th epoch; 0 (or absent) for only on demand. */
  readonly every?: number;
  /** Where training starts: a fresh run's state at epoch 0, or the checkpoint it resumes from. */
  readonly start: Checkpoint;
  /** Files and metadata to write with each checkpoint, such as a history file or a chart. */
  readonly extraFiles?: (checkpoint: Checkpoint) => readonly DirectoryFile[] | Promise<readonly DirectoryFile[]>;
  readonly metadata?: (checkpoint: Checkpoint) => UserMetadata;
}

/** Checkpoints of a `fit` run (see {@link checkpointWriter}). */
export interface CheckpointWriter {
  /** Pass to `fit`: records each finished epoch and writes every `every`th; a failed write stops training. */
  readonly callbacks: Callbacks;
  /** The checkpoint of the last finished epoch (the start until one finishes). */
  readonly latest: () => Checkpoint;
  /**
   * Writes {@link latest} now: on demand, or after Ctrl-C stopped training mid-epoch.
   * With `state`, that state is written for the last finished epoch instead (`fit`'s
   * result when early stopping restored the best epoch's weights).
   */
  readonly save: (state?: TrainState) => TE.TaskEither<ModelFileError, Checkpoint>;
  /** Why the last write failed, if it did. */
  readonly failure: () => ModelFileError | undefined;
}

/** An epoch's log without `fit`'s event fields. */
const logOf = (event: EpochEndEvent): EpochLog => {
  const { epoch, loss, accuracy, valLoss, valAccuracy, seconds } = event;
  return Object.fromEntries(
    Object.entries({ epoch, loss, accuracy, valLoss, valAccuracy, seconds }).filter(([, v]) => v !== undefined),
  ) as unknown as EpochLog;
};

/**
 * Checkpoints for `fit`: its callbacks keep the state of each finished epoch, with the
 * history so far, and write it to `directory` after every `every`th epoch; `save`
 * writes the last one on demand. Checkpoints are taken between epochs, where training
 * resumes bit for bit: a run stopped mid-epoch continues from the start of that epoch.
 *
 * @example
 * ```ts
 * const writer = checkpointWriter('run', { every: 2, model, inputShape: [28, 28], start: freshCheckpoint(initial, settings) });
 * await fit(plan, initial, train, { epochs: 10, callbacks: [writer.callbacks] });
 * ```
 */
export function checkpointWriter(directory: string, options: CheckpointWriterOptions): CheckpointWriter {
  let latest = options.start;
  let failure: ModelFileError | undefined;
  const save =
    (state?: TrainState): TE.TaskEither<ModelFileError, Checkpoint> =>
    async () => {
      const checkpoint =
        state === undefined
          ? latest
          : {
              ...latest,
              step: state.step,
              key: state.key,
              params: state.params,
              optState: state.optState,
              modelState: state.modelState,
            };
      const written = await saveCheckpoint(directory, checkpoint, {
        model: options.model,
        inputShape: options.inputShape,
        ...(options.generatedBy === undefined ? {} : { generatedBy: options.generatedBy }),
        ...(options.metadata === undefined ? {} : { metadata: options.metadata(checkpoint) }),
        extraFiles: (await options.extraFiles?.(checkpoint)) ?? [],
      })();
      failure = E.isLeft(written) ? written.left : undefined;
      return E.map(() => checkpoint)(written);
    };
  const onEpochEnd = async (event: EpochEndEvent): Promise<void | 'stop'> => {
    const { state } = event;
    latest = {
      epoch: event.epoch,
      step: state.step,
      key: state.key,
      params: state.params,
      optState: state.optState,
      modelState: state.modelState,
      history: [...latest.history, logOf(event)],
      settings: latest.settings,
    };
    if (options.every !== undefined && options.every > 0 && event.epoch % options.every === 0) {
      if (E.isLeft(await save()())) return 'stop';
    }
  };
  return { callbacks: { onEpochEnd }, latest: () => latest, save, failure: () => failure };
}

/**
 * The checkpoint at the start of a fresh run: epoch 0, no history.
 *
 * @example
 * freshCheckpoint(initTrainState(plan, key(0), [28, 28]), { dataset: 'mnist' });
 */
export const freshCheckpoint = (state: TrainState, settings: JsonObject): Checkpoint => ({
  epoch: 0,
  step: state.step,
  key: state.key,
  params: state.params,
  optState: state.optState,
  modelState: state.modelState,
  history: [],
  settings,
});
