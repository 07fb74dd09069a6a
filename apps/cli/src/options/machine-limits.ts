import * as E from 'fp-ts/lib/Either.js';
import type { Machine } from '../commands/command-io.js';
import type { Command } from './command.js';

/**
 * The checks of a parsed command line that depend on the machine: `--threads` may not
 * exceed the threads it runs at once (each is a worker with its own stack and a share
 * of the memory, and more than the cores only compete for them). Left is the message,
 * without the `axon <command>: ` prefix.
 *
 * @example
 * checkMachineLimits({ command: 'train', threads: 1000, … }, { cores: 16, memoryBytes: 2 ** 34 });
 * // left('--threads: expected at most 16 (the threads this machine runs at once), got 1000')
 */
export function checkMachineLimits(command: Command, machine: Machine): E.Either<string, void> {
  const threads = 'threads' in command ? command.threads : null;
  return threads !== null && threads > machine.cores
    ? E.left(`--threads: expected at most ${machine.cores} (the threads this machine runs at once), got ${threads}`)
    : E.right(undefined);
}
