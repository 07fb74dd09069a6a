import { TrainingSettings } from '../training/settings.js';
import type { TextOutput, TrainingReporter } from './training-events.js';
import { doneLine, epochLine, startLine } from './training-lines.js';

/**
 * For output that is not a terminal (CI logs, pipes): one plain line at the start, one
 * per epoch and one at the end, no progress within an epoch and no control characters.
 *
 * @example
 * const reporter = plainReporter(process.stdout);
 */
export function plainReporter(output: TextOutput): TrainingReporter {
  return {
    start: (event) => output.write(`${startLine(event)}\n`),
    batch: () => undefined,
    epoch: (event) => output.write(`${epochLine(event)}\n`),
    done: (event) => output.write(`${doneLine(event)}\n`),
    error: () => undefined,
  };
}

/**
 * For `--quiet`: only the closing line.
 *
 * @example
 * const reporter = quietReporter(process.stdout);
 */
export function quietReporter(output: TextOutput): TrainingReporter {
  return {
    start: () => undefined,
    batch: () => undefined,
    epoch: () => undefined,
    done: (event) => output.write(`${doneLine(event)}\n`),
    error: () => undefined,
  };
}

/**
 * For `--json`: one JSON object per line, `start` (with the settings spread in, as the
 * model file records them: layers as `--layers` items),
 * `epoch` (validation fields only with a validation split), `done` and `error`.
 * Progress within an epoch is not reported. NaN metrics are written as `null`.
 *
 * @example
 * jsonLinesReporter(process.stdout).epoch({ epoch: 1, epochs: 10, loss: 0.3, accuracy: 0.9, seconds: 4, samplesPerSecond: 15000 });
 * // {"event":"epoch","epoch":1,"epochs":10,"loss":0.3,"accuracy":0.9,"seconds":4,"samplesPerSecond":15000}
 */
export function jsonLinesReporter(output: TextOutput): TrainingReporter {
  const emit = (object: Record<string, unknown>): unknown => output.write(`${JSON.stringify(object)}\n`);
  return {
    start: ({ settings, ...rest }) => emit({ event: 'start', ...TrainingSettings.encode(settings), ...rest }),
    batch: () => undefined,
    epoch: (event) =>
      emit({
        event: 'epoch',
        epoch: event.epoch,
        epochs: event.epochs,
        loss: event.loss,
        accuracy: event.accuracy,
        ...(event.valLoss === undefined ? {} : { valLoss: event.valLoss }),
        ...(event.valAccuracy === undefined ? {} : { valAccuracy: event.valAccuracy }),
        seconds: event.seconds,
        samplesPerSecond: event.samplesPerSecond,
      }),
    done: (event) => emit({ event: 'done', ...event }),
    error: (message) => emit({ event: 'error', message }),
  };
}
