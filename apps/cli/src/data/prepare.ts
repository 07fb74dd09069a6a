import type { LabeledDataset } from '@axon/data';
import { tensor, type Tensor } from '@axon/tensor';
import { applyNormalization, tutorialNormalization, type Normalization } from '../model/axon-metadata.js';

/** Network inputs and integer class labels, as `fit` and `evaluate` take them. */
export interface PreparedData {
  readonly x: Tensor;
  readonly y: Tensor;
}

/**
 * How a data set's raw values become inputs: the tutorial's /255 for 8-bit pixels;
 * other element types are taken as they are.
 *
 * @example
 * normalizationFor(mnistTrain); // { kind: 'scale', scale: 1 / 255 }
 */
export function normalizationFor(data: LabeledDataset): Normalization {
  return data.inputs.values instanceof Uint8Array ? tutorialNormalization : { kind: 'scale', scale: 1 };
}

/**
 * The first `limit` samples (all when null), normalized, as tensors. The normalized
 * inputs are a fresh array the tensor takes over without another copy.
 *
 * @example
 * prepare(splits.train, tutorialNormalization, 1000).x.shape; // [1000, 28, 28]
 */
export function prepare(data: LabeledDataset, normalization: Normalization, limit: number | null): PreparedData {
  const count = Math.min(limit ?? data.labels.length, data.labels.length);
  const sampleShape = data.inputs.shape.slice(1);
  const sampleSize = sampleShape.reduce((a, b) => a * b, 1);
  const values = applyNormalization(normalization, data.inputs.values.subarray(0, count * sampleSize));
  return {
    x: tensor(values, { shape: [count, ...sampleShape], copy: false }),
    y: tensor(data.labels.subarray(0, count), { shape: [count] }),
  };
}
