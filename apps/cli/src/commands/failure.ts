import { oneLine } from '../output/one-line.js';

/**
 * Why a command failed: one line for stderr, and the exit status when it is not the
 * usual 1 (130 after Ctrl-C, as shells report a process ended by SIGINT).
 */
export type CommandFailure = string | { readonly message: string; readonly exitCode: number };

/** The message of a failure, as one short line. */
export const failureMessage = (failure: CommandFailure): string =>
  oneLine(typeof failure === 'string' ? failure : failure.message);

/** The exit status of a failure. */
export const failureExitCode = (failure: CommandFailure): number =>
  typeof failure === 'string' ? 1 : failure.exitCode;
