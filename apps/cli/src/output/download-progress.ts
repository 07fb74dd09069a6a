import { formatBytes, formatDuration } from './format.js';
import { type ProgressBar, startProgressBar, type TerminalStream } from './progress-bar.js';
import type { Clock } from './training-events.js';

/** Shows a download: feed it the data package's progress callbacks, then call `finish`. */
export interface DownloadProgress {
  /** The data package's progress callback: bytes received so far, and the total when the server says. */
  readonly onProgress: (received: number, total: number | undefined) => void;
  /** Ends the display with a summary line; writes nothing if no progress was ever reported. */
  readonly finish: () => void;
}

const knownSizeFormat = '{label} [{bar}] {percentage}% | {received} of {size} | {speed} | ETA {timeLeft}';
const unknownSizeFormat = '{label} {received} | {speed}';

/**
 * A download display for `label` (e.g. `train-images-idx3-ubyte.gz`). On a terminal:
 * a progress bar with the bytes, the speed and the time left (or just the bytes and
 * the speed when the size is unknown). Elsewhere: a line when it starts. Both end with
 * a line giving the size and the time taken.
 *
 * @example
 * const progress = downloadProgress('train-images-idx3-ubyte.gz', process.stderr, () => performance.now());
 * await download(url, { onProgress: progress.onProgress });
 * progress.finish();
 */
export function downloadProgress(label: string, stream: TerminalStream, clock: Clock): DownloadProgress {
  let started: number | undefined;
  let firstReceived = 0;
  let bar: ProgressBar | undefined;
  let lastReceived = 0;
  return {
    onProgress: (received, total) => {
      const now = clock();
      lastReceived = received;
      if (started === undefined) {
        started = now;
        firstReceived = received;
        if (stream.isTTY === true) {
          const format = total === undefined ? unknownSizeFormat : knownSizeFormat;
          bar = startProgressBar(stream, format, total ?? 1, {
            label,
            received: '',
            size: '',
            speed: '',
            timeLeft: '?',
          });
        } else {
          stream.write(`downloading ${label}${total === undefined ? '' : ` (${formatBytes(total)})`}\n`);
        }
      }
      const seconds = (now - started) / 1000;
      // Measured from the first report: the time before it is unknown here.
      const speed = seconds > 0 ? (received - firstReceived) / seconds : Number.NaN;
      bar?.update(total === undefined ? 0 : received, {
        label,
        received: formatBytes(received),
        size: total === undefined ? '?' : formatBytes(total),
        speed: Number.isFinite(speed) ? `${formatBytes(speed)}/s` : '?',
        timeLeft: total === undefined ? '?' : formatDuration((total - received) / speed),
      });
    },
    finish: () => {
      if (started === undefined) return;
      bar?.stop();
      stream.write(
        `downloaded ${label}: ${formatBytes(lastReceived)} in ${formatDuration((clock() - started) / 1000)}\n`,
      );
    },
  };
}
