import { TensorError } from '@axon/tensor';

/** The epoch metrics early stopping can watch. */
export type MonitoredMetric = 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy';

/** Keras's `EarlyStopping` settings. */
export interface EarlyStoppingOptions {
  /** `valLoss` when there is validation data, else `loss`, unless stated. Accuracies are maximized, losses minimized. */
  readonly monitor?: MonitoredMetric;
  /** Epochs without improvement to tolerate before stopping. 0 unless stated. */
  readonly patience?: number;
  /** The smallest change that counts as an improvement. 0 unless stated. */
  readonly minDelta?: number;
  /** On stopping, return the state of the best epoch rather than the last. False unless stated. */
  readonly restoreBest?: boolean;
}

/** Early stopping's memory: the best value so far, what came with it, and epochs since. */
export interface EarlyStoppingTracker<T> {
  readonly best: number;
  readonly bestItem: T | undefined;
  /** Epochs since the last improvement. */
  readonly wait: number;
  readonly stop: boolean;
}

/**
 * The metric to watch, checked against whether validation metrics will exist.
 *
 * @example
 * ```ts
 * monitoredMetric({}, true);  // 'valLoss'
 * monitoredMetric({}, false); // 'loss'
 * ```
 */
export const monitoredMetric = (options: EarlyStoppingOptions, validating: boolean): MonitoredMetric => {
  const monitor = options.monitor ?? (validating ? 'valLoss' : 'loss');
  if (monitor.startsWith('val') && !validating) {
    throw new TensorError(
      'fit',
      `early stopping monitors ${monitor}, but there is no validation data (pass validationSplit or validationData)`,
    );
  }
  return monitor;
};

const maximizes = (monitor: MonitoredMetric): boolean => monitor === 'accuracy' || monitor === 'valAccuracy';

/**
 * A tracker that has seen nothing.
 *
 * @example
 * ```ts
 * startTracking<TrainState>('valAccuracy').best; // -Infinity: accuracies are maximized
 * ```
 */
export const startTracking = <T>(monitor: MonitoredMetric): EarlyStoppingTracker<T> => ({
  best: maximizes(monitor) ? -Infinity : Infinity,
  bestItem: undefined,
  wait: 0,
  stop: false,
});

/**
 * Records one epoch's value of the monitored metric (with `item`, e.g. the state, kept
 * while it is the best): an improvement by more than `minDelta` resets the wait, and
 * `patience` epochs without one (at least one) set `stop`, as Keras counts.
 *
 * @example
 * ```ts
 * let tracker = startTracking<number>('valLoss');
 * tracker = observe(tracker, { patience: 1 }, 'valLoss', 0.5, 1);
 * tracker = observe(tracker, { patience: 1 }, 'valLoss', 0.6, 2); // tracker.stop === true
 * ```
 */
export const observe = <T>(
  tracker: EarlyStoppingTracker<T>,
  options: EarlyStoppingOptions,
  monitor: MonitoredMetric,
  value: number,
  item: T,
): EarlyStoppingTracker<T> => {
  const minDelta = Math.abs(options.minDelta ?? 0);
  const improved = maximizes(monitor) ? value > tracker.best + minDelta : value < tracker.best - minDelta;
  if (improved) return { best: value, bestItem: item, wait: 0, stop: false };
  const wait = tracker.wait + 1;
  return { ...tracker, wait, stop: wait >= Math.max(1, options.patience ?? 0) };
};
