import type { EpochRecord } from '../training/history.js';
import type { TrainingSettings } from '../training/settings.js';

/** Training is about to start. */
export interface TrainingStart {
  readonly settings: TrainingSettings;
  /** The backend that runs it, e.g. `js`. */
  readonly backend: string;
  readonly trainSamples: number;
  readonly validationSamples: number;
  readonly testSamples: number;
}

/** Progress within an epoch, after a batch. */
export interface BatchProgress {
  /** Counted from 1. */
  readonly epoch: number;
  readonly epochs: number;
  /** Training samples done in this epoch so far, and in the whole epoch. */
  readonly samplesDone: number;
  readonly samplesTotal: number;
  /** Mean loss and accuracy over this epoch's batches so far. */
  readonly loss: number;
  readonly accuracy: number;
}

/** An epoch has finished: its record, and how fast it went. */
export type EpochEnd = EpochRecord & {
  readonly epochs: number;
  readonly samplesPerSecond: number;
};

/** Training and the test evaluation are done and the model is written. */
export interface TrainingDone {
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly trainSeconds: number;
  readonly modelDir: string;
  /** Set when early stopping ended training: the last epoch run, and the best one, whose weights were kept. */
  readonly stoppedEarly?: { readonly epoch: number; readonly bestEpoch: number };
}

/**
 * Receives the events of a training run and shows them: a progress bar on a terminal,
 * plain lines in a pipe or CI log, JSON lines with `--json`. Calls come in order:
 * `start`, then `batch`… and `epoch` per epoch, then `done`; `error` may end the run
 * at any point (it shows nothing itself; the caller prints the message on stderr).
 */
export interface TrainingReporter {
  start(event: TrainingStart): void;
  batch(event: BatchProgress): void;
  epoch(event: EpochEnd): void;
  done(event: TrainingDone): void;
  error(message: string): void;
}

/** Where reporters write text. */
export interface TextOutput {
  write(text: string): unknown;
}

/** Milliseconds since some fixed point; `performance.now` in the app, a fake in tests. */
export type Clock = () => number;
