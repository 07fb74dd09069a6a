import type { NdArray } from '../array/nd-array.js';

/**
 * Bytes to float32 in [0, 1] by dividing by 255, as the Keras MNIST tutorial's
 * `x_train / 255.0` and torchvision's `ToTensor` do. For training inputs,
 * `unitScaledTensor` gives the same values as a tensor at a quarter of the memory.
 *
 * @example
 * ```ts
 * scaleToUnit({ values: Uint8Array.of(0, 51, 255), shape: [3] }).values; // Float32Array [0, 0.2, 1]
 * ```
 */
export const scaleToUnit = (x: NdArray<Uint8Array>): NdArray<Float32Array> => {
  const out = new Float32Array(x.values.length);
  for (let i = 0; i < out.length; i++) out[i] = x.values[i] / 255;
  return { values: out, shape: x.shape };
};
