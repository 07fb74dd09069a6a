/** Whether Ctrl-C was pressed, and a way to stop listening. */
export interface InterruptWatch {
  readonly requested: () => boolean;
  readonly stop: () => void;
}

/**
 * Watches for Ctrl-C (SIGINT): the first press is recorded so training can stop after
 * the current batch and exit cleanly; a second press exits at once with status 130.
 *
 * @example
 * const interrupt = watchInterrupt();
 * await fit(plan, state, data, { shouldStop: interrupt.requested, … });
 * interrupt.stop();
 */
export function watchInterrupt(): InterruptWatch {
  let requested = false;
  const onSignal = (): void => {
    if (requested) process.exit(130);
    requested = true;
  };
  process.on('SIGINT', onSignal);
  return { requested: () => requested, stop: () => void process.off('SIGINT', onSignal) };
}
