import * as E from 'fp-ts/lib/Either.js';
import { loadModelDirectory } from '../../src/model-file/model-directory.js';
import { renderModelFileError } from '../../src/model-file/model-file-error.js';
import type { SavedModel } from '../../src/model-file/saved-model.js';

/**
 * Reads a model directory with the CLI's own loader, throwing its one-line message if
 * the files are not a valid model.
 *
 * @example
 * const model = await loadSavedModel(path.join(root, 'model'));
 */
export async function loadSavedModel(directory: string): Promise<SavedModel> {
  const loaded = await loadModelDirectory(directory)();
  if (E.isLeft(loaded)) throw new Error(renderModelFileError(loaded.left));
  return loaded.right;
}
