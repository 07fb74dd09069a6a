import { renderModelFileError, type SavedModel } from '@axon/io';
import { describeProblem } from '@axon/io/codec';
import { loadModel } from '@axon/io/node';
import * as E from 'fp-ts/lib/Either.js';
import { axonMetadataOf, type AxonMetadata } from '../../src/model/axon-metadata.js';

/** A model file as `axon` reads it: the model, and axon's metadata decoded (null when another tool wrote it). */
export type AxonSavedModel = Omit<SavedModel, 'metadata'> & { readonly metadata: AxonMetadata | null };

/**
 * Reads a model directory with the CLI's own loader, throwing its one-line message if
 * the files are not a valid model.
 *
 * @example
 * const model = await loadSavedModel(path.join(root, 'model'));
 */
export async function loadSavedModel(directory: string): Promise<AxonSavedModel> {
  const loaded = await loadModel(directory)();
  if (E.isLeft(loaded)) throw new Error(renderModelFileError(loaded.left));
  const metadata = axonMetadataOf(loaded.right);
  if (E.isLeft(metadata)) throw new Error(describeProblem(metadata.left));
  return { ...loaded.right, metadata: metadata.right };
}
