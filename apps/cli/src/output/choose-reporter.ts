import { jsonLinesReporter, plainReporter, quietReporter } from './line-reporters.js';
import type { TerminalStream } from './progress-bar.js';
import type { Clock, TrainingReporter } from './training-events.js';
import { ttyReporter } from './tty-reporter.js';

/** What decides how training is shown. */
export interface ReporterChoice {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly stream: TerminalStream;
  readonly clock: Clock;
}

/**
 * The reporter for the options and the output: JSON lines with `--json`, only the
 * result with `--quiet`, a progress bar on a terminal, plain lines otherwise.
 *
 * @example
 * const reporter = chooseReporter({ json: config.json, quiet: config.quiet, stream: process.stdout, clock: () => performance.now() });
 */
export function chooseReporter({ json, quiet, stream, clock }: ReporterChoice): TrainingReporter {
  if (json) return jsonLinesReporter(stream);
  if (quiet) return quietReporter(stream);
  return stream.isTTY === true ? ttyReporter(stream, clock) : plainReporter(stream);
}
