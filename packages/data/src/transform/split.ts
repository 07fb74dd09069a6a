import { key, permutationValues } from '@axon/tensor';
import type { NumericArray } from '../array/nd-array.js';
import { sequentialOrder } from '../batch/order.js';
import type { LabeledDataset } from '../dataset/labeled-dataset.js';
import { takeSamples } from './take-rows.js';

/** Options for {@link trainValidationSplit}. */
export interface ValidationSplitOptions {
  /** A fraction in (0, 1) of the samples (rounded), or a whole number of them, to hold out. */
  readonly validation: number;
  /** Shuffle before splitting with this seed; without it the last samples are held out, as Keras' `validation_split` does. */
  readonly seed?: number;
}

/** A training set and the validation set held out of it. */
export interface TrainValidationSplit<A extends NumericArray> {
  readonly train: LabeledDataset<A>;
  readonly validation: LabeledDataset<A>;
}

const validationCount = (sampleCount: number, validation: number): number => {
  if (validation > 0 && validation < 1) return Math.round(sampleCount * validation);
  if (Number.isInteger(validation) && validation >= 0 && validation <= sampleCount) return validation;
  throw new RangeError(`validation must be a fraction in (0, 1) or a count in 0..${sampleCount}, got ${validation}`);
};

/**
 * Holds out part of a dataset for validation. The two parts are disjoint and together
 * hold every sample once; both keep the class names.
 *
 * @example
 * ```ts
 * const { train, validation } = trainValidationSplit({ validation: 0.1, seed: 7 })(splits.train);
 * train.labels.length;      // 54000
 * validation.labels.length; // 6000
 * ```
 */
export const trainValidationSplit =
  (options: ValidationSplitOptions) =>
  <A extends NumericArray>(data: LabeledDataset<A>): TrainValidationSplit<A> => {
    const n = data.labels.length;
    const cut = n - validationCount(n, options.validation);
    const order = options.seed === undefined ? sequentialOrder(n) : permutationValues(key(options.seed), n);
    const part = (indices: Int32Array): LabeledDataset<A> => ({
      ...takeSamples(data, indices),
      classNames: data.classNames,
    });
    return { train: part(order.subarray(0, cut)), validation: part(order.subarray(cut)) };
  };
