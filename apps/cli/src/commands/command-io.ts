import type { TerminalStream } from '../output/progress-bar.js';
import type { Clock } from '../output/training-events.js';

/** The world a command handler talks to, passed in so handlers can be tested. */
export interface CommandIo {
  readonly stdout: TerminalStream;
  readonly stderr: TerminalStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Milliseconds, for rates and durations. */
  readonly clock: Clock;
  /** The `axon` version. */
  readonly version: string;
}
