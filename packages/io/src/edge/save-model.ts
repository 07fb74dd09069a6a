import type { LayerConfig } from '@axon/nn';
import type { Shape, TensorTree } from '@axon/tensor';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { ModelFileError } from '../layers-model/model-file-error.js';
import type { UserMetadata } from '../layers-model/model-json.js';
import { savedModelOf } from '../layers-model/saved-model-of.js';
import { type DirectoryFile, saveModelDirectory } from './model-directory.js';

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /** The shape of one input sample, without the batch axis (Keras's `input_shape`), e.g. [28, 28]. */
  readonly inputShape: Shape;
  /** Kept as `userDefinedMetadata` (a JSON object): class names, preprocessing, anything the app needs. */
  readonly metadata?: UserMetadata;
  /** Who wrote the model, recorded in `model.json`. `axon` unless stated. */
  readonly generatedBy?: string;
  /** The model's state (a training state's `modelState`), for models with stateful layers such as batch normalization. */
  readonly state?: TensorTree;
  /** More files written into the directory in the same atomic step, e.g. a history or a chart. */
  readonly extraFiles?: readonly DirectoryFile[];
}

/**
 * Saves a trained model as a directory in the TensorFlow.js layers format
 * (`model.json` + `weights.bin`), atomically: a crash or a full disk never leaves a
 * half-written directory, and an existing directory is replaced only when it holds a
 * model and nothing else. `tf.loadLayersModel` and {@link loadModel} read it.
 *
 * @example
 * ```ts
 * const { state } = await fit(plan, initTrainState(plan, key(0), [28, 28]), train, { epochs: 10 });
 * const saved = await saveModel('model', model, state.params, { inputShape: [28, 28] })();
 * if (E.isLeft(saved)) console.error(renderModelFileError(saved.left));
 * ```
 */
export function saveModel(
  directory: string,
  model: { readonly config: LayerConfig },
  params: TensorTree,
  options: SaveModelOptions,
): TE.TaskEither<ModelFileError, void> {
  return saveModelDirectory(
    directory,
    savedModelOf(model, params, options.inputShape, options.metadata ?? null, options.state),
    options.generatedBy ?? 'axon',
    options.extraFiles,
  );
}
