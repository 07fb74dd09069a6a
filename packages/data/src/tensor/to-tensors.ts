import { byteCoded, tensor, type Tensor } from '@axon/tensor';
import type { NdArray } from '../array/nd-array.js';
import type { LabeledArrays } from '../dataset/labeled-dataset.js';

/**
 * An `NdArray` as an `@axon/tensor` tensor of the same shape. Float arrays keep their
 * dtype; integer arrays become `int32`, as `tensor` converts them. Arrays already in a
 * tensor's storage type are shared, not copied (a whole MNIST training set is 188 MB in
 * float32): like every array @axon/data hands out, they are never written again.
 *
 * @example
 * ```ts
 * ndArrayToTensor({ values: Float32Array.of(1, 2, 3, 4), shape: [2, 2] }).shape; // [2, 2]
 * ```
 */
export const ndArrayToTensor = (x: NdArray): Tensor => tensor(x.values, { shape: x.shape, copy: false });

/** Each byte value divided by 255 in float32: how {@link scaleToUnit} scales a pixel. */
const unitTable = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * 8-bit images as a float32 tensor of the same shape scaled to [0, 1], bit for bit
 * `ndArrayToTensor(scaleToUnit(x))`, that keeps one byte per value (`byteCoded` in
 * `@axon/tensor`): MNIST's training images take 47 MB instead of 188 MB. `fit`,
 * `evaluate` and `predict` use it as any tensor; on the CPU backends each batch decodes
 * only its own rows. The bytes are shared, not copied, and never written.
 *
 * @example
 * ```ts
 * const x = unitScaledTensor(loaded.right.train.inputs); // Tensor<'float32'> [60000, 28, 28]
 * await fit(plan, start, { x, y: tensor(loaded.right.train.labels) }, { epochs: 10, batchSize: 128 });
 * ```
 */
export const unitScaledTensor = (x: NdArray<Uint8Array>): Tensor<'float32'> => byteCoded(x.values, unitTable, x.shape);

/** A batch as tensors: float32 inputs and int32 labels, what a training step consumes. */
export interface TensorBatch {
  readonly inputs: Tensor<'float32'>;
  readonly labels: Tensor<'int32'>;
}

/**
 * A float32 batch as tensors: inputs `[b, ...sample]` float32 and labels `[b]` int32.
 *
 * @example
 * ```ts
 * const { inputs, labels } = batchToTensors(batchAt(train, order, i, { batchSize: 128 }));
 * // inputs: Tensor<'float32'> [128, 784], labels: Tensor<'int32'> [128]
 * ```
 */
export const batchToTensors = (batch: LabeledArrays<Float32Array>): TensorBatch => ({
  inputs: tensor(batch.inputs.values, { shape: batch.inputs.shape, dtype: 'float32', copy: false }),
  labels: tensor(batch.labels, { shape: [batch.labels.length], dtype: 'int32', copy: false }),
});
