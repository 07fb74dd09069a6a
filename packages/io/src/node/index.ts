/**
 * @axon/io/node: model files on disk, for Node.js. Directories are written atomically
 * (a crash or a full disk leaves the old directory or the new one, never a mix) and
 * read back with every field checked.
 *
 * @example
 * ```ts
 * import { loadModelDirectory, saveModelDirectory } from '@axon/io/node';
 * await saveModelDirectory('model', savedModel, 'my-app 1.0')();
 * const loaded = await loadModelDirectory('model')(); // right(savedModel)
 * ```
 */
export { writeFileAtomically } from './durable-files.js';
export { describeIoError, isErrnoException } from './io-error.js';
export {
  checkModelTarget,
  loadModelDirectory,
  saveModelDirectory,
  writeDirectoryAtomically,
  type DirectoryFile,
} from './model-directory.js';
