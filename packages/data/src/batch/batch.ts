import type { NumericArray } from '../array/nd-array.js';
import type { LabeledArrays } from '../dataset/labeled-dataset.js';
import { takeSamples } from '../transform/take-rows.js';

/** How an epoch is cut into batches. */
export interface BatchOptions {
  /** Samples per batch (the last may hold fewer). */
  readonly batchSize: number;
  /** Leave out a last batch smaller than `batchSize`, as PyTorch's `drop_last`. Default `false`. */
  readonly dropLast?: boolean;
}

/**
 * The number of batches an order of `sampleCount` samples makes. Throws a `RangeError`
 * unless `batchSize` is a positive integer.
 *
 * @example
 * ```ts
 * batchCount(60000, { batchSize: 128 });                 // 469
 * batchCount(60000, { batchSize: 128, dropLast: true }); // 468
 * ```
 */
export const batchCount = (sampleCount: number, { batchSize, dropLast = false }: BatchOptions): number => {
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  return (dropLast ? Math.floor : Math.ceil)(sampleCount / batchSize);
};

/**
 * Batch `batchIndex` of an epoch that visits `data` in `order` (from `shuffledOrder` or
 * `sequentialOrder`): the samples `order[batchIndex * batchSize ..]` gathered into one
 * new inputs array `[b, ...sample]` and one `Int32Array` of labels. Nothing is allocated
 * per sample. Throws a `RangeError` for a batch index outside `0 .. batchCount - 1`.
 *
 * @example
 * ```ts
 * const order = shuffledOrder(seed, epoch, train.labels.length);
 * const { inputs, labels } = batchAt(train, order, 0, { batchSize: 128 }); // inputs.shape [128, 784]
 * ```
 */
export const batchAt = <A extends NumericArray>(
  data: LabeledArrays<A>,
  order: Int32Array,
  batchIndex: number,
  options: BatchOptions,
): LabeledArrays<A> => {
  const count = batchCount(order.length, options);
  if (!(Number.isInteger(batchIndex) && batchIndex >= 0 && batchIndex < count)) {
    throw new RangeError(`batchAt: batch ${batchIndex} is outside 0..${count - 1}`);
  }
  const start = batchIndex * options.batchSize;
  return takeSamples(data, order.subarray(start, start + options.batchSize));
};

/**
 * Every batch of one epoch, lazily, in order: `batchAt` for each index in turn.
 *
 * @example
 * ```ts
 * for (const batch of epochBatches(train, shuffledOrder(seed, epoch, n), { batchSize: 128 })) step(batch);
 * ```
 */
export function* epochBatches<A extends NumericArray>(
  data: LabeledArrays<A>,
  order: Int32Array,
  options: BatchOptions,
): Generator<LabeledArrays<A>, void, undefined> {
  const count = batchCount(order.length, options);
  for (let i = 0; i < count; i++) yield batchAt(data, order, i, options);
}
