import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describeIoError } from './io-error.js';

/** Creates `file` (it must not exist), writes it and flushes it to disk. */
export async function writeDurably(file: string, contents: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(contents);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a directory's entries (new names, renames) to disk. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A fresh suffix for temporary names beside a target. */
export const randomSuffix = (): string => randomBytes(6).toString('hex');

/**
 * Writes `contents` to `file` through a synced temporary file beside it, renamed over
 * `file` only when complete, so a crash or a full disk never leaves a half-written file.
 * Left is one line naming the file.
 *
 * @example
 * await writeFileAtomically('confusion.svg', svg)();
 */
export function writeFileAtomically(file: string, contents: string | Uint8Array): TE.TaskEither<string, void> {
  const temporary = `${file}.tmp-${randomSuffix()}`;
  return TE.tryCatch(
    async () => {
      try {
        await writeDurably(temporary, contents);
        await rename(temporary, file);
        await syncDirectory(path.dirname(path.resolve(file)));
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    (error) => `${file}: ${describeIoError('write', error)}`,
  );
}
