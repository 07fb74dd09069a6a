import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as T from 'fp-ts/lib/Task.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { DataError } from '../error/data-error.js';

const detail = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The bytes of a file, or a `read-failed` error naming it.
 *
 * @example
 * ```ts
 * await readBytes('../shared/data/mnist/t10k-labels-idx1-ubyte.gz')(); // right(Uint8Array)
 * ```
 */
export const readBytes = (file: string): TE.TaskEither<DataError, Uint8Array> =>
  TE.tryCatch(
    () => readFile(file),
    (error): DataError => ({ kind: 'read-failed', file, detail: detail(error) }),
  );

/**
 * The text of a UTF-8 file, or a `read-failed` error naming it.
 *
 * @example
 * ```ts
 * await readText('iris.csv')(); // right('sepal_length,...')
 * ```
 */
export const readText = (file: string): TE.TaskEither<DataError, string> =>
  TE.tryCatch(
    () => readFile(file, 'utf8'),
    (error): DataError => ({ kind: 'read-failed', file, detail: detail(error) }),
  );

/**
 * The names in a directory; none when it does not exist or cannot be read, since a
 * missing search location simply holds no data.
 *
 * @example
 * ```ts
 * await listDirectory('/nowhere')(); // []
 * ```
 */
export const listDirectory =
  (dir: string): T.Task<readonly string[]> =>
  () =>
    readdir(dir).catch(() => []);

/**
 * Writes `bytes` to `file` so that `file` either does not exist or is complete: they go
 * to a hidden temporary file beside it, which is renamed over `file` only once fully
 * written, and removed if anything fails. Creates the parent directories.
 *
 * @example
 * ```ts
 * await writeFileAtomically('/home/ada/.cache/axon/mnist/t10k-labels-idx1-ubyte.gz', bytes)();
 * ```
 */
export const writeFileAtomically = (file: string, bytes: Uint8Array): TE.TaskEither<DataError, void> => {
  // A leading dot keeps the partial file from matching any dataset stem.
  const temporary = join(dirname(file), `.${basename(file)}.${randomUUID()}.part`);
  return TE.tryCatch(
    async () => {
      try {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(temporary, bytes);
        await rename(temporary, file);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    (error): DataError => ({ kind: 'write-failed', file, detail: detail(error) }),
  );
};
