import type { TerminalStream } from '../output/progress-bar.js';
import type { Clock } from '../output/training-events.js';

/** The machine a command runs on, for the limits that depend on it. */
export interface Machine {
  /** Threads it can run at once (Node's `os.availableParallelism()`). */
  readonly cores: number;
  /** The memory the process may use, in bytes: the machine's, or its container's limit. */
  readonly memoryBytes: number;
}

/** The world a command handler talks to, passed in so handlers can be tested. */
export interface CommandIo {
  readonly stdout: TerminalStream;
  readonly stderr: TerminalStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Milliseconds, for rates and durations. */
  readonly clock: Clock;
  /** The `axon` version. */
  readonly version: string;
  readonly machine: Machine;
}
