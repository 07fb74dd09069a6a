import type { Writable } from 'node:stream';
import { describeIoError, isErrnoException } from '@axon/io/node';

/** A standard stream, watched for write errors so that none ends the process with a stack trace. */
export interface WatchedOutput {
  /** Resolves once every write so far has completed or failed, with the first write error (if any). */
  readonly settled: () => Promise<unknown>;
}

/**
 * Watches `stream` for write errors. Node reports a failed write to stdout or stderr as
 * an `error` event, which, unhandled, ends the process with a stack trace; handled, it
 * destroys the stream, so later writes are dropped quietly and the command can finish
 * its work (a training run still saves its model when its reader is gone).
 *
 * @example
 * const stdout = watchOutput(process.stdout);
 * // … the command runs …
 * const failure = await stdout.settled(); // e.g. an EPIPE error after `axon train | head -1`
 */
export function watchOutput(stream: Writable): WatchedOutput {
  // The error event may come after the stream is destroyed (a file stream closes its
  // descriptor first); `errored` holds the error from the moment it happened.
  stream.on('error', () => undefined);
  return {
    // An empty write completes after every earlier one, or fails at once on a destroyed stream.
    settled: () => new Promise((resolve) => stream.write('', () => resolve(stream.errored ?? undefined))),
  };
}

/** How a run ends once its output has failed: the exit status, and a line for stderr if one is due. */
export interface OutputOutcome {
  readonly status: number;
  readonly message?: string;
}

/**
 * How a run that exited with `status` ends when writing to `stream` failed with
 * `failure` (undefined when it did not). A closed pipe (EPIPE: the reader, such as
 * `head`, has had enough) ends quietly, as Unix tools do, with the command's own status.
 * Any other write error is one line and status 1, unless the command already failed.
 *
 * @example
 * outputOutcome(0, 'standard output', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));  // { status: 0 }
 * outputOutcome(0, 'standard output', Object.assign(new Error('write ENOSPC'), { code: 'ENOSPC' }));
 * // { status: 1, message: 'axon: cannot write to standard output: no space left on device' }
 */
export function outputOutcome(status: number, stream: string, failure: unknown): OutputOutcome {
  if (failure === undefined || (isErrnoException(failure) && failure.code === 'EPIPE')) return { status };
  return { status: status === 0 ? 1 : status, message: `axon: ${describeIoError(`write to ${stream}`, failure)}` };
}
