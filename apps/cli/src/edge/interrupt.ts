import { constants } from 'node:os';

/** The signals that ask `axon` to stop: Ctrl-C, `kill` (and service managers), a closed terminal. */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

const stopSignals: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * The exit status shells report for a process a signal ended: 128 plus its number
 * (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
 *
 * @example
 * signalExitStatus('SIGTERM'); // 143
 */
export const signalExitStatus = (signal: StopSignal): number => 128 + constants.signals[signal];

/** The stop signals received while watching, and a way to keep them from ending a critical step. */
export interface InterruptWatch {
  /** The first stop signal received, if any. */
  readonly received: () => StopSignal | undefined;
  /** Whether a stop signal has been received: for `fit`'s `shouldStop`. */
  readonly requested: () => boolean;
  /**
   * Runs `task` (such as an atomic save) so that no signal, however many arrive, ends the
   * process before it settles: they are recorded, and the task finishes or cleans up.
   */
  readonly shield: <A>(task: () => Promise<A>) => Promise<A>;
  readonly stop: () => void;
}

/**
 * Watches for SIGINT (Ctrl-C), SIGTERM and SIGHUP: the first is recorded so training
 * can stop after the current batch and exit cleanly; a second one exits at once with
 * the status of the first (130 for Ctrl-C), except while a {@link InterruptWatch.shield}ed
 * task runs, which always runs to its end.
 *
 * @example
 * const interrupt = watchInterrupt();
 * await fit(plan, state, data, { shouldStop: interrupt.requested, … });
 * if (!interrupt.requested()) await interrupt.shield(() => save());
 * interrupt.stop();
 */
export function watchInterrupt(): InterruptWatch {
  let first: StopSignal | undefined;
  let shielding = 0;
  const onSignal = (signal: StopSignal): void => {
    if (first !== undefined && shielding === 0) process.exit(signalExitStatus(first));
    first ??= signal;
  };
  stopSignals.forEach((signal) => process.on(signal, onSignal));
  return {
    received: () => first,
    requested: () => first !== undefined,
    shield: async (task) => {
      shielding++;
      try {
        return await task();
      } finally {
        shielding--;
      }
    },
    stop: () => stopSignals.forEach((signal) => process.off(signal, onSignal)),
  };
}
