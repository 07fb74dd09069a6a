import { formatDuration, formatMetric, formatRate } from './format.js';
import { type ProgressBar, startProgressBar, type TerminalStream } from './progress-bar.js';
import type { Clock, TrainingReporter } from './training-events.js';
import { doneLine, epochLine, startLine } from './training-lines.js';

const barFormat =
  'epoch {epoch} [{bar}] {value}/{total} | {rate} samples/s | ETA {timeLeft} | loss {loss} | acc {accuracy}';

/**
 * For a terminal: the start line, then per epoch a progress bar with samples per
 * second, time left, and the running loss and accuracy, replaced by the epoch's
 * summary line when it ends; the closing line at the end. Rates and the ETA come from
 * `clock` (milliseconds), so they can be tested.
 *
 * @example
 * const reporter = ttyReporter(process.stdout, () => performance.now());
 */
export function ttyReporter(stream: TerminalStream, clock: Clock): TrainingReporter {
  let bar: ProgressBar | undefined;
  // The rate is measured from the first report of an epoch: the time before it is unknown here.
  let firstReport = { time: 0, samples: 0 };
  const stopBar = (): void => {
    bar?.stop();
    bar = undefined;
  };
  return {
    start: (event) => stream.write(`${startLine(event)}\n`),
    batch: (event) => {
      const epoch = `${String(event.epoch).padStart(String(event.epochs).length)}/${event.epochs}`;
      const now = clock();
      if (bar === undefined) {
        firstReport = { time: now, samples: event.samplesDone };
        bar = startProgressBar(stream, barFormat, event.samplesTotal, {
          epoch,
          rate: '?',
          timeLeft: '?',
          loss: '?',
          accuracy: '?',
        });
      }
      const seconds = (now - firstReport.time) / 1000;
      const rate = seconds > 0 ? (event.samplesDone - firstReport.samples) / seconds : Number.NaN;
      bar.update(event.samplesDone, {
        epoch,
        rate: formatRate(rate),
        timeLeft: formatDuration((event.samplesTotal - event.samplesDone) / rate),
        loss: formatMetric(event.loss),
        accuracy: formatMetric(event.accuracy),
      });
    },
    epoch: (event) => {
      stopBar();
      stream.write(`${epochLine(event)}\n`);
    },
    done: (event) => stream.write(`${doneLine(event)}\n`),
    error: stopBar,
  };
}
