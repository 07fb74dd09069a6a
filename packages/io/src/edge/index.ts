/**
 * @axon/io/node: model files on disk, for Node.js. Directories are written atomically
 * (a crash or a full disk leaves the old directory or the new one, never a mix, and
 * never replaces a directory that holds anything but a model) and read back with
 * every field checked.
 *
 * @example
 * ```ts
 * import { loadModel, saveModel } from '@axon/io/node';
 * await saveModel('model', model, state.params, { inputShape: [28, 28] })();
 * const loaded = await loadModel('model')(); // right({ inputShape, config, params, metadata })
 * ```
 */
export {
  checkpointWriter,
  freshCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  trainStateOf,
  type CheckpointModel,
  type CheckpointWriter,
  type CheckpointWriterOptions,
  type LoadedCheckpoint,
} from './checkpoint-directory.js';
export { removeStaleTemporaries, writeFileAtomically } from './durable-files.js';
export { describeIoError, isErrnoException } from './io-error.js';
export {
  checkModelTarget,
  loadModel,
  modelDirectoryCheck,
  saveModelDirectory,
  writeDirectoryAtomically,
  type DirectoryFile,
  type ReplaceCheck,
} from './model-directory.js';
export { saveModel, type SaveModelOptions } from './save-model.js';
