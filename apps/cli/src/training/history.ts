import * as t from 'io-ts';
import { Metric, NonNegativeNumber, PositiveInteger } from '@axon/io/codec';

/**
 * The metrics of one finished epoch. The validation metrics are present exactly when
 * the run holds out a validation split.
 */
export const EpochRecord = t.intersection(
  [
    t.type({
      /** Counted from 1. */
      epoch: PositiveInteger,
      loss: Metric,
      accuracy: Metric,
      seconds: NonNegativeNumber,
    }),
    t.partial({ valLoss: Metric, valAccuracy: Metric }),
  ],
  'an epoch record ({ epoch, loss, accuracy, seconds })',
);
/** The metrics of one epoch. */
export type EpochRecord = t.TypeOf<typeof EpochRecord>;

/** One record per finished epoch, in order: the content of `history.json`. */
export const TrainingHistory = t.readonlyArray(EpochRecord, 'a list of epoch records');
/** A run's history. */
export type TrainingHistory = t.TypeOf<typeof TrainingHistory>;

/**
 * The text of `history.json`: the history as JSON, NaN losses written as `null`.
 *
 * @example
 * historyJson([{ epoch: 1, loss: 0.3, accuracy: 0.9, seconds: 2 }]);
 * // '[\n  {\n    "epoch": 1, ...'
 */
export function historyJson(history: TrainingHistory): string {
  return `${JSON.stringify(TrainingHistory.encode(history), null, 2)}\n`;
}

/**
 * The epoch (counted from 1) with the lowest validation loss, the first of equals: the
 * one whose weights early stopping keeps.
 *
 * @example
 * bestEpochOf([{ epoch: 1, valLoss: 0.5, … }, { epoch: 2, valLoss: 0.4, … }, { epoch: 3, valLoss: 0.45, … }]); // 2
 */
export function bestEpochOf(history: TrainingHistory): number {
  let best = history[0];
  for (const record of history) if ((record.valLoss ?? Infinity) < (best.valLoss ?? Infinity)) best = record;
  return best.epoch;
}
