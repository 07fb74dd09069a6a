// File-system edge of the model format: everything here touches the disk; the
// encoding and checking it relies on are pure (encode.ts, decode.ts).
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { checkpointDataFile, checkpointJsonFile } from '../checkpoint/file-names.js';
import { checkTopology, decodeModel, parseModelJson, weightFileNames } from '../layers-model/decode.js';
import { encodeModel } from '../layers-model/encode.js';
import { modelJsonFile, weightsFile } from '../layers-model/file-names.js';
import { renderModelFileError, type ModelFileError } from '../layers-model/model-file-error.js';
import { type ModelJson, PlainFileName } from '../layers-model/model-json.js';
import type { SavedModel } from '../layers-model/saved-model.js';
import { removeStaleTemporaries, syncDirectory, temporaryName, writeDurably } from './durable-files.js';
import { describeIoError, isErrnoException } from './io-error.js';

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

/** Whether a path that is already there may be replaced, or why not; `false` when nothing is there. */
export type ReplaceCheck = (target: string) => Promise<E.Either<ModelFileError, boolean>>;

/** The names a model directory holds besides those its model.json names: axon's checkpoint files. */
const alsoOurs: readonly string[] = [modelJsonFile, weightsFile, checkpointJsonFile, checkpointDataFile];

/**
 * A {@link ReplaceCheck} for model directories: an existing path is replaced only when
 * it is an empty directory, or a directory of plain files holding a `model.json` that
 * loads (axon's or TensorFlow.js's) and nothing but that file, the weights files it
 * names, axon's checkpoint files and the files about to be written. Anything else (a
 * file, a directory of other work, one with a stray file) is refused, so a mistyped
 * `--out` cannot delete someone's work.
 *
 * @param writing The names of the files the save writes.
 * @example
 * await modelDirectoryCheck(['model.json', 'weights.bin'])('notes');
 * // left({ kind: 'target', file: 'notes', message: 'holds thesis.tex, which is not part of a model; refusing to replace it' })
 */
export const modelDirectoryCheck =
  (writing: readonly string[]): ReplaceCheck =>
  async (target) => {
    const refuse = (message: string): E.Either<ModelFileError, boolean> =>
      E.left({ kind: 'target', file: target, message: `${message}; refusing to replace it` });
    try {
      if (!(await stat(target)).isDirectory()) return refuse('exists and is not a directory');
      const entries = await readdir(target, { withFileTypes: true });
      if (entries.length === 0) return E.right(true);
      const other = entries.find((entry) => !entry.isFile());
      if (other !== undefined) return refuse(`holds ${other.name}, which is not a plain file`);
      if (!entries.some((entry) => entry.name === modelJsonFile))
        return refuse(`holds no ${modelJsonFile}, so it is not a model directory`);
      const json = parseModelJson(await readFile(path.join(target, modelJsonFile), 'utf8'));
      const checked = E.chain((parsed: ModelJson) => E.map(() => parsed)(checkTopology(parsed)))(json);
      if (E.isLeft(checked))
        return refuse(`holds a ${modelJsonFile} that is not a valid model (${renderModelFileError(checked.left)})`);
      const known = new Set([...alsoOurs, ...writing, ...weightFileNames(checked.right)]);
      const stray = entries.find((entry) => !known.has(entry.name));
      return stray === undefined ? E.right(true) : refuse(`holds ${stray.name}, which is not part of a model`);
    } catch (error) {
      return isErrnoException(error) && error.code === 'ENOENT'
        ? E.right(false)
        : E.left(ioError(target, 'inspect the output path', error));
    }
  };

/**
 * Whether a model can be saved at `target`: nothing is there yet, or an empty
 * directory, or a model directory it may replace (see {@link modelDirectoryCheck}).
 * Left is the error saving would end with, so a command can refuse a mistyped `--out`
 * before the work rather than after.
 *
 * @param writing The names of the files the save will write.
 * @example
 * await checkModelTarget('notes', ['model.json', 'weights.bin'])();
 * // left({ kind: 'target', file: '/home/ada/notes', message: 'holds thesis.tex, which is not part of a model; refusing to replace it' })
 */
export function checkModelTarget(
  target: string,
  writing: readonly string[] = [modelJsonFile, weightsFile],
): TE.TaskEither<ModelFileError, void> {
  return async () => E.map(() => undefined)(await modelDirectoryCheck(writing)(path.resolve(target)));
}

/**
 * Writes `files` as the directory `target`, atomically: they are written and synced
 * into a fresh `<target>.tmp-<pid>-<random>` beside it, which is then renamed into
 * place (an existing directory that `canReplace` allows is first renamed aside and
 * removed afterwards). A crash or a full disk leaves either the old directory or the
 * new one, never a half-written one under `target`; the temporary directory is removed
 * on failure, and leftovers of earlier writes whose process died are removed first.
 * Removing the previous directory is best effort: once the new one is in place the
 * save has succeeded.
 *
 * @example
 * await writeDirectoryAtomically('model', [{ name: 'model.json', contents: json }], modelDirectoryCheck(['model.json']))();
 * // right(undefined); model/model.json exists
 */
export function writeDirectoryAtomically(
  target: string,
  files: readonly DirectoryFile[],
  canReplace: ReplaceCheck,
): TE.TaskEither<ModelFileError, void> {
  return async () => {
    const badName = files.find((file) => !PlainFileName.is(file.name));
    if (badName !== undefined) return E.left({ kind: 'model', message: `"${badName.name}" is not a plain file name` });
    const absolute = path.resolve(target);
    const parent = path.dirname(absolute);
    await removeStaleTemporaries(absolute);
    const replacing = await canReplace(absolute);
    if (E.isLeft(replacing)) return replacing;
    const made = await attempt(parent, 'create the directory', () => mkdir(parent, { recursive: true }));
    if (E.isLeft(made)) return made;

    const temporary = temporaryName(absolute, 'tmp');
    const written = await attempt(absolute, 'write the model', async () => {
      await mkdir(temporary);
      for (const file of files) await writeDurably(path.join(temporary, file.name), file.contents);
      await syncDirectory(temporary);
    });
    if (E.isLeft(written)) {
      await rm(temporary, { recursive: true, force: true });
      return written;
    }

    const aside = temporaryName(absolute, 'old');
    const moved = await attempt(absolute, 'move the new model into place', async () => {
      if (replacing.right) await rename(absolute, aside);
      try {
        await rename(temporary, absolute);
      } catch (error) {
        if (replacing.right) await rename(aside, absolute);
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
    const files = [
      { name: modelJsonFile, contents: encoded.right.modelJson },
      { name: weightsFile, contents: encoded.right.weightsBin },
      ...extras,
    ];
    return writeDirectoryAtomically(directory, files, modelDirectoryCheck(files.map((file) => file.name)))();
  };
}

/** Gives a file error from the pure decoder the model directory's path. */
function inDirectory(directory: string, error: ModelFileError): ModelFileError {
  return error.kind === 'model' ? error : { ...error, file: path.join(directory, error.file) };
}

/**
 * Loads a model directory that axon, TensorFlow.js (`model.save`) or Keras (through
 * `tensorflowjs_converter`) wrote, every field and weight checked: right is the model
 * as configs and float32 params (rebuild it with `layers.fromConfig(loaded.config)`),
 * left one {@link ModelFileError} naming the file (and the field).
 *
 * @example
 * ```ts
 * const loaded = await loadModel('model')();
 * if (E.isLeft(loaded)) throw new Error(renderModelFileError(loaded.left));
 * const model = layers.fromConfig(loaded.right.config);
 * const probabilities = predict(model, loaded.right.params, images);
 * ```
 */
export function loadModel(directory: string): TE.TaskEither<ModelFileError, SavedModel> {
  return async () => {
    const jsonPath = path.join(directory, modelJsonFile);
    const text = await attempt(jsonPath, 'read', () => readFile(jsonPath, 'utf8'));
    if (E.isLeft(text)) return text;
    const json = pipe(
      parseModelJson(text.right),
      E.mapLeft((error) => inDirectory(directory, error)),
    );
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
