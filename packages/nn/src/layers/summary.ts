import { key, type Shape } from '@axon/tensor';
import { describeLayer, type LayerConfig } from './config.js';
import { countParams, showBatchShape, type AnyLayer } from './layer.js';
import { initLayers, type Sequential, type StatefulSequential } from './sequential.js';

/** One layer's line in a {@link ModelSummary}. */
export interface SummaryRow {
  /** Keras-style name: the kind, then `_1`, `_2`, … for repeats (`dense`, `dense_1`). */
  readonly name: string;
  /** What the layer is, e.g. `dense(128, relu)`. */
  readonly layer: string;
  /** Shape of one output sample (no batch axis). */
  readonly outputShape: Shape;
  /** Trainable params and state (batch-norm statistics) together, as Keras's `Param #` column counts them. */
  readonly params: number;
}

/** A model's layers, their output shapes and parameter counts. */
export interface ModelSummary {
  readonly rows: readonly SummaryRow[];
  readonly totalParams: number;
  /** Params trained by gradients. */
  readonly trainableParams: number;
  /** State values, such as batch normalization's moving mean and variance. */
  readonly nonTrainableParams: number;
}

const kerasNames = (configs: readonly LayerConfig[]): string[] => {
  const seen = new Map<string, number>();
  return configs.map(({ kind }) => {
    const count = seen.get(kind) ?? 0;
    seen.set(kind, count + 1);
    return count === 0 ? kind : `${kind}_${count}`;
  });
};

const isSequential = (model: AnyLayer): model is Sequential | StatefulSequential => 'layers' in model;

/**
 * The layers of `model` (each layer of a sequential model, else the model itself) with
 * output shapes and parameter counts, for samples of `inputShape`.
 *
 * @example
 * ```ts
 * summarize(model, [784]).totalParams; // 118282 for 784-128-128-10
 * ```
 */
export const summarize = (model: AnyLayer, inputShape: Shape): ModelSummary => {
  const layers = isSequential(model) ? model.layers : [model];
  const { params, states, outputShapes } = initLayers(layers, key(0), inputShape);
  const names = kerasNames(layers.map((layer) => layer.config));
  const rows = layers.map((layer, i) => ({
    name: names[i],
    layer: describeLayer(layer.config),
    outputShape: outputShapes[i],
    params: countParams(params[i]) + countParams(states[i]),
  }));
  const trainableParams = params.reduce((total: number, p) => total + countParams(p), 0);
  const nonTrainableParams = states.reduce((total: number, s) => total + countParams(s), 0);
  return { rows, totalParams: trainableParams + nonTrainableParams, trainableParams, nonTrainableParams };
};

const withThousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * A printable table of {@link summarize}'s result, as Keras's `model.summary()` prints
 * (the caller prints it).
 *
 * @example
 * ```ts
 * summary(model, [784]);
 * // Layer              Type              Output shape   Params
 * // dense              dense(128, relu)  [batch,128]   100,480
 * // …
 * // Total params: 118,282
 * // Trainable params: 118,282
 * // Non-trainable params: 0
 * ```
 */
export const summary = (model: AnyLayer, inputShape: Shape): string => {
  const { rows, totalParams, trainableParams, nonTrainableParams } = summarize(model, inputShape);
  const table = [
    ['Layer', 'Type', 'Output shape', 'Params'],
    ...rows.map((row) => [row.name, row.layer, showBatchShape(row.outputShape), withThousands(row.params)]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((cells) => cells[c].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => (c === cells.length - 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [
    line(table[0]),
    rule,
    ...table.slice(1).map(line),
    rule,
    `Total params: ${withThousands(totalParams)}`,
    `Trainable params: ${withThousands(trainableParams)}`,
    `Non-trainable params: ${withThousands(nonTrainableParams)}`,
  ].join('\n');
};
