import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describeIoError, isErrnoException } from './io-error.js';

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

/** What a temporary name beside a target is for: a file or directory being written, or a replaced directory being removed. */
export type TemporaryKind = 'tmp' | 'old';

/**
 * A fresh name beside `target` for a temporary file or directory:
 * `<target>.<kind>-<pid>-<12 hex digits>`. The process id lets a later run tell a
 * leftover of a process that died (removed) from one still being written (kept).
 *
 * @example
 * temporaryName('/home/ada/model', 'tmp'); // '/home/ada/model.tmp-4242-1f2e3d4c5b6a'
 */
export const temporaryName = (target: string, kind: TemporaryKind): string =>
  `${target}.${kind}-${process.pid}-${randomBytes(6).toString('hex')}`;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a process is running (or exists under another user, which signal 0 cannot reach). */
const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrnoException(error) && error.code === 'EPERM';
  }
};

/**
 * Removes what earlier writes of `target` left behind when their process died (a
 * crash, SIGKILL, a second signal during a save): the names {@link temporaryName} gives,
 * and only those whose process is no longer running, so a concurrent write keeps its
 * files. Best effort: a leftover that cannot be removed stays.
 *
 * @example
 * await removeStaleTemporaries('/home/ada/model'); // ['/home/ada/model.tmp-4242-1f2e3d4c5b6a']
 */
export async function removeStaleTemporaries(target: string): Promise<string[]> {
  const directory = path.dirname(target);
  const pattern = new RegExp(`^${escapeRegExp(path.basename(target))}\\.(tmp|old)-(\\d+)-[0-9a-f]{12}$`);
  const names = await readdir(directory).catch((): string[] => []);
  const stale = names.filter((name) => {
    const match = pattern.exec(name);
    return match !== null && Number(match[2]) !== process.pid && !isRunning(Number(match[2]));
  });
  const removed: string[] = [];
  for (const name of stale) {
    const leftover = path.join(directory, name);
    await rm(leftover, { recursive: true, force: true }).then(
      () => removed.push(leftover),
      () => undefined,
    );
  }
  return removed;
}

/**
 * Writes `contents` to `file` through a synced temporary file beside it, renamed over
 * `file` only when complete, so a crash or a full disk never leaves a half-written file.
 * Left is one line naming the file.
 *
 * @example
 * await writeFileAtomically('confusion.svg', svg)();
 */
export function writeFileAtomically(file: string, contents: string | Uint8Array): TE.TaskEither<string, void> {
  return TE.tryCatch(
    async () => {
      await removeStaleTemporaries(path.resolve(file));
      const temporary = temporaryName(path.resolve(file), 'tmp');
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
