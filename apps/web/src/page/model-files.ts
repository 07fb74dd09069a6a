import * as E from 'fp-ts/lib/Either.js';
import { modelJsonFile, parseModelJson, renderModelFileError, weightFileNames, type ModelBytes } from '@axon/io';

/**
 * The bytes of a model directory the user picked (`<input webkitdirectory>`): its
 * `model.json` and the weights files that names, in its manifest's order. Left says
 * what is missing.
 */
export const modelBytesOf = async (
  files: FileList,
): Promise<E.Either<string, { readonly bytes: ModelBytes; readonly folder: string }>> => {
  const all = [...files];
  const json = all.find((file) => file.name === modelJsonFile);
  if (json === undefined)
    return E.left(`the folder holds no ${modelJsonFile} (pick the directory axon train --out wrote)`);
  const text = await json.text();
  const parsed = parseModelJson(text);
  if (E.isLeft(parsed)) return E.left(renderModelFileError(parsed.left));
  const weights: Uint8Array[] = [];
  for (const name of weightFileNames(parsed.right)) {
    const file = all.find((candidate) => candidate.name === name);
    if (file === undefined) return E.left(`${modelJsonFile} names ${name}, which is not in the folder`);
    weights.push(new Uint8Array(await file.arrayBuffer()));
  }
  const folder = (json.webkitRelativePath.split('/')[0] ?? '') || 'the chosen folder';
  return E.right({ bytes: { modelJson: text, weights }, folder });
};
