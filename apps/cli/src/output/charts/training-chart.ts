import type { TopLevelSpec } from 'vega-lite';
import type { TrainingHistory } from '../../training/history.js';
import { renderSvg } from './vega-svg.js';

/** One point of the chart: a metric's value after an epoch, on the training or validation data. */
interface HistoryPoint {
  readonly epoch: number;
  readonly metric: 'loss' | 'accuracy';
  readonly data: 'train' | 'validation';
  readonly value: number;
}

/**
 * The history as chart points. NaN and infinite values (a diverged run) are left out:
 * a chart cannot place them.
 *
 * @example
 * historyPoints([{ epoch: 1, loss: 0.3, accuracy: 0.9, seconds: 2 }]);
 * // [{ epoch: 1, metric: 'loss', data: 'train', value: 0.3 }, { epoch: 1, metric: 'accuracy', data: 'train', value: 0.9 }]
 */
export function historyPoints(history: TrainingHistory): HistoryPoint[] {
  return history
    .flatMap(({ epoch, loss, accuracy, valLoss, valAccuracy }): HistoryPoint[] => [
      { epoch, metric: 'loss', data: 'train', value: loss },
      { epoch, metric: 'accuracy', data: 'train', value: accuracy },
      ...(valLoss === undefined ? [] : [{ epoch, metric: 'loss', data: 'validation', value: valLoss } as const]),
      ...(valAccuracy === undefined
        ? []
        : [{ epoch, metric: 'accuracy', data: 'validation', value: valAccuracy } as const]),
    ])
    .filter((point) => Number.isFinite(point.value));
}

/**
 * The Vega-Lite chart of a training history: loss and accuracy per epoch side by side,
 * each with a training and (when there is one) a validation line.
 *
 * @example
 * trainingChartSpec(history).facet; // { column: { field: 'metric', … } }
 */
function trainingChartSpec(history: TrainingHistory): TopLevelSpec {
  return {
    title: 'Training history',
    data: { values: historyPoints(history) },
    facet: { column: { field: 'metric', type: 'nominal', sort: ['loss', 'accuracy'], title: null } },
    spec: {
      width: 320,
      height: 220,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'data', type: 'nominal', sort: ['train', 'validation'], title: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/**
 * `training.svg`: the training history charted as an SVG document.
 *
 * @example
 * await writeFile('model/training.svg', await trainingChartSvg(history));
 */
export function trainingChartSvg(history: TrainingHistory): Promise<string> {
  return renderSvg(trainingChartSpec(history));
}
