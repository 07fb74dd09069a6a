import { rowSize, type NdArray } from '../array/nd-array.js';

/**
 * A mean and standard deviation to standardize with: one of each for the whole array,
 * or one per feature (value position within a sample).
 */
export interface Standardization {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

/** Options for {@link standardization}. */
export interface StandardizationOptions {
  /** One mean and std per feature (sklearn's `StandardScaler`) instead of one overall (torchvision's `Normalize` on a grey image). Default `false`. */
  readonly perFeature?: boolean;
}

/**
 * The mean and population standard deviation of `x`, overall or per feature, in float64.
 * Compute them on the training set and apply them to every split. A feature with zero
 * spread gets std 1, so standardizing leaves it at 0 instead of dividing by zero.
 *
 * @example
 * ```ts
 * standardization({ values: Float32Array.of(1, 3), shape: [2] }); // { mean: [2], std: [1] }
 * ```
 */
export const standardization = (x: NdArray, options: StandardizationOptions = {}): Standardization => {
  const width = options.perFeature === true ? rowSize(x) : 1;
  const mean = new Float64Array(width);
  const variance = new Float64Array(width);
  const count = x.values.length / width;
  for (let i = 0; i < x.values.length; i++) mean[i % width] += x.values[i];
  for (let j = 0; j < width; j++) mean[j] /= count;
  // Two passes: summing squared deviations avoids the cancellation of E[x²] - E[x]².
  for (let i = 0; i < x.values.length; i++) {
    const d = x.values[i] - mean[i % width];
    variance[i % width] += d * d;
  }
  const std = variance.map((v) => Math.sqrt(v / count) || 1);
  return { mean, std };
};

/**
 * `(x - mean) / std` as float32, with statistics from {@link standardization}. Throws a
 * `RangeError` when per-feature statistics do not match the sample size of `x`.
 *
 * @example
 * ```ts
 * const stats = standardization(train.inputs);
 * const test = mapInputs(standardize(stats))(splits.test);
 * ```
 */
export const standardize =
  (stats: Standardization) =>
  (x: NdArray): NdArray<Float32Array> => {
    const width = stats.mean.length;
    if (width !== 1 && width !== rowSize(x)) {
      throw new RangeError(`standardize: ${width} feature statistics for samples of ${rowSize(x)} values`);
    }
    const out = new Float32Array(x.values.length);
    for (let i = 0; i < out.length; i++) out[i] = (x.values[i] - stats.mean[i % width]) / stats.std[i % width];
    return { values: out, shape: x.shape };
  };
