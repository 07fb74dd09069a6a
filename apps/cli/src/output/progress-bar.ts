import { SingleBar } from 'cli-progress';

/** A stream a progress bar can draw on: a terminal, or a stand-in for one in tests. */
export type TerminalStream = NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };

/** A progress bar on one terminal line, redrawn in place. */
export interface ProgressBar {
  /** Moves the bar to `value` (of the total given at the start) and refreshes the named fields. */
  update(value: number, fields: Readonly<Record<string, string>>): void;
  /** Draws the final state, then clears the line so that what follows replaces it. */
  stop(): void;
}

/**
 * Starts a cli-progress bar on `stream`. `format` uses cli-progress tokens (`{bar}`,
 * `{value}`, `{total}`, `{percentage}`) and the names of `fields`; times and rates
 * come in as fields, computed by the caller from its own clock. Field names must not
 * be cli-progress tokens (`eta`, `duration`, …), which take precedence.
 *
 * @example
 * const bar = startProgressBar(process.stdout, 'epoch 1 [{bar}] {value}/{total} {rate}', 60000, { rate: '' });
 * bar.update(128, { rate: '5,000 samples/s' });
 * bar.stop();
 */
export function startProgressBar(
  stream: TerminalStream,
  format: string,
  total: number,
  fields: Readonly<Record<string, string>>,
): ProgressBar {
  const bar = new SingleBar({
    stream,
    format,
    barsize: 24,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    clearOnComplete: true,
    hideCursor: false,
  });
  bar.start(total, 0, fields);
  return {
    update: (value, updated) => bar.update(value, updated),
    stop: () => bar.stop(),
  };
}
