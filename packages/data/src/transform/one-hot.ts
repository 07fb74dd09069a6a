import type { NdArray } from '../array/nd-array.js';

/**
 * Class indices as one-hot float32 rows, `[n, classCount]`, for losses that take
 * probability targets (Keras' `to_categorical`). Throws a `RangeError` for a label
 * outside `0 .. classCount - 1`.
 *
 * @example
 * ```ts
 * oneHot(3)(Int32Array.of(2, 0)); // { values: Float32Array [0, 0, 1, 1, 0, 0], shape: [2, 3] }
 * ```
 */
export const oneHot =
  (classCount: number) =>
  (labels: Int32Array): NdArray<Float32Array> => {
    const out = new Float32Array(labels.length * classCount);
    labels.forEach((label, i) => {
      if (label < 0 || label >= classCount)
        throw new RangeError(`oneHot: label ${label} at ${i} is outside 0..${classCount - 1}`);
      out[i * classCount + label] = 1;
    });
    return { values: out, shape: [labels.length, classCount] };
  };
