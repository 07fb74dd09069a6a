// File-system edge of the model format: everything here touches the disk; the
// encoding and checking it relies on are pure (encode.ts, decode.ts).
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { randomSuffix, syncDirectory, writeDurably } from './durable-files.js';
import { describeIoError, isErrnoException } from './io-error.js';
import { decodeModel, parseModelJson, weightFileNames } from '../layers-model/decode.js';
import { encodeModel } from '../layers-model/encode.js';
import { modelJsonFile, weightsFile } from '../layers-model/file-names.js';
import type { ModelFileError } from '../layers-model/model-file-error.js';
import { PlainFileName } from '../layers-model/model-json.js';
import type { SavedModel } from '../layers-model/saved-model.js';

/** A file to write into a model directory beside the model, such as `history.json`. */
export interface DirectoryFile {
  /** A plain file name (no directories). */
  readonly name: string;
  readonly contents: string | Uint8Array;
}

const ioError = (file: string, action: string, error: unknown): ModelFileError => ({
  kind: 'io',
  file,
  message: describeIoError(action, error),
});

/** Runs a file-system step, turning a rejection into an `io` error about `file`. */
async function attempt<A>(file: string, action: string, step: () => Promise<A>): Promise<E.Either<ModelFileError, A>> {
  try {
    return E.right(await step());
  } catch (error) {
    return E.left(ioError(file, action, error));
  }
}

/**
 * Whether an existing path may be replaced: only an empty directory, or a model
 * directory (one holding `model.json` and nothing but plain files), never a file or a
 * directory of other things, so a mistyped `--out` cannot delete someone's work.
 * `false` when nothing is there yet.
 */
async function replaceable(target: string): Promise<E.Either<ModelFileError, boolean>> {
  const refuse = (message: string): E.Either<ModelFileError, boolean> => E.left({ kind: 'target', file: target, message });
  try {
    if (!(await stat(target)).isDirectory()) return refuse('exists and is not a directory; refusing to replace it');
    const entries = await readdir(target, { withFileTypes: true });
    const isModelDirectory =
      entries.some((entry) => entry.name === modelJsonFile) && entries.every((entry) => entry.isFile());
    return entries.length === 0 || isModelDirectory
      ? E.right(true)
      : refuse(`exists and is not a model directory (no ${modelJsonFile}, or subdirectories); refusing to replace it`);
  } catch (error) {
    return isErrnoException(error) && error.code === 'ENOENT'
      ? E.right(false)
      : E.left(ioError(target, 'inspect the output path', error));
  }
}

/**
 * Whether a model can be saved at `target`: nothing is there yet, or an empty
 * directory, or a model directory it may replace. Left is the error saving would end
 * with, so a command can refuse a mistyped `--out` before the work rather than after.
 *
 * @example
 * await checkModelTarget('notes')(); // left({ kind: 'target', file: '/home/ada/notes', message: 'exists and is not a model directory …' })
 */
export function checkModelTarget(target: string): TE.TaskEither<ModelFileError, void> {
  return async () => E.map(() => undefined)(await replaceable(path.resolve(target)));
}

/**
 * Writes `files` as the directory `target`, atomically: they are written and synced
 * into a fresh `<target>.tmp-<random>` beside it, which is then renamed into place (an
 * existing model directory is first renamed aside and removed afterwards). A crash or
 * a full disk leaves either the old directory or the new one, never a half-written
 * one under `target`; the temporary directory is removed on failure. Removing the
 * previous directory is best effort: once the new one is in place the save has
 * succeeded, and a leftover `<target>.old-<random>` loads as nothing.
 *
 * @example
 * await writeDirectoryAtomically('model', [{ name: 'a.txt', contents: 'hi' }])();
 * // right(undefined); model/a.txt exists
 */
export function writeDirectoryAtomically(
  target: string,
  files: readonly DirectoryFile[],
): TE.TaskEither<ModelFileError, void> {
  return async () => {
    const badName = files.find((file) => !PlainFileName.is(file.name));
    if (badName !== undefined) return E.left({ kind: 'model', message: `"${badName.name}" is not a plain file name` });
    const absolute = path.resolve(target);
    const parent = path.dirname(absolute);
    const canReplace = await replaceable(absolute);
    if (E.isLeft(canReplace)) return canReplace;
    const made = await attempt(parent, 'create the directory', () => mkdir(parent, { recursive: true }));
    if (E.isLeft(made)) return made;

    const temporary = `${absolute}.tmp-${randomSuffix()}`;
    const written = await attempt(absolute, 'write the model', async () => {
      await mkdir(temporary);
      for (const file of files) await writeDurably(path.join(temporary, file.name), file.contents);
      await syncDirectory(temporary);
    });
    if (E.isLeft(written)) {
      await rm(temporary, { recursive: true, force: true });
      return written;
    }

    const aside = `${absolute}.old-${randomSuffix()}`;
    const moved = await attempt(absolute, 'move the new model into place', async () => {
      if (canReplace.right) await rename(absolute, aside);
      try {
        await rename(temporary, absolute);
      } catch (error) {
        if (canReplace.right) await rename(aside, absolute);
        throw error;
      }
      await syncDirectory(parent);
    });
    if (E.isLeft(moved)) {
      await rm(temporary, { recursive: true, force: true });
      return moved;
    }
    await rm(aside, { recursive: true, force: true }).catch(() => undefined);
    return E.right(undefined);
  };
}

/**
 * Saves a model as `model.json` and `weights.bin` in `directory`, together with
 * `extras` (such as `history.json` and `training.svg`), all in one atomic step.
 *
 * @param generatedBy Who wrote the model, e.g. `axon 0.1.0`.
 * @example
 * await saveModelDirectory('model', model, 'axon 0.1.0', [{ name: 'history.json', contents: historyJson(h) }])();
 */
export function saveModelDirectory(
  directory: string,
  model: SavedModel,
  generatedBy: string,
  extras: readonly DirectoryFile[] = [],
): TE.TaskEither<ModelFileError, void> {
  return async () => {
    const encoded = encodeModel(model, generatedBy);
    if (E.isLeft(encoded)) return encoded;
    const clash = extras.find((file) => file.name === modelJsonFile || file.name === weightsFile);
    if (clash !== undefined) return E.left({ kind: 'model', message: `an extra file may not be named ${clash.name}` });
    return writeDirectoryAtomically(directory, [
      { name: modelJsonFile, contents: encoded.right.modelJson },
      { name: weightsFile, contents: encoded.right.weightsBin },
      ...extras,
    ])();
  };
}

/** Gives a file error from the pure decoder the model directory's path. */
function inDirectory(directory: string, error: ModelFileError): ModelFileError {
  return error.kind === 'model' ? error : { ...error, file: path.join(directory, error.file) };
}

/**
 * Loads and checks the model in `directory`: `model.json` is validated field by field
 * and the weights files it names must match its manifest and topology exactly. Every
 * failure is one {@link ModelFileError} naming the file (and the field).
 *
 * @example
 * const loaded = await loadModelDirectory('model')();
 * if (E.isLeft(loaded)) console.error(renderModelFileError(loaded.left));
 */
export function loadModelDirectory(directory: string): TE.TaskEither<ModelFileError, SavedModel> {
  return async () => {
    const jsonPath = path.join(directory, modelJsonFile);
    const text = await attempt(jsonPath, 'read', () => readFile(jsonPath, 'utf8'));
    if (E.isLeft(text)) return text;
    const json = pipe(parseModelJson(text.right), E.mapLeft((error) => inDirectory(directory, error)));
    if (E.isLeft(json)) return json;
    const buffers: Uint8Array[] = [];
    for (const name of weightFileNames(json.right)) {
      const file = path.join(directory, name);
      const read = await attempt(file, 'read', () => readFile(file));
      if (E.isLeft(read)) return read;
      buffers.push(read.right);
    }
    return pipe(
      decodeModel(json.right, Buffer.concat(buffers)),
      E.mapLeft((error) => inDirectory(directory, error)),
    );
  };
}
