import { backendsIn, gather, slice, Tensor, tensor, TensorError, toBackend } from '@axon/tensor';

/**
 * Samples along the first axis: inputs `x` `[n, ...features]` and targets `y` `[n, ...]`
 * (int32 class labels `[n]`, or float targets), as Keras's `model.fit(x, y)` takes them.
 */
export interface Dataset {
  readonly x: Tensor;
  readonly y: Tensor;
}

/**
 * The number of samples in `data`, after checking that `x` and `y` agree on it.
 *
 * @example
 * ```ts
 * sampleCount('fit', { x: images, y: labels }); // 60000
 * ```
 */
export const sampleCount = (what: string, data: Dataset): number => {
  const { x, y } = data;
  if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
    throw new TensorError(
      what,
      `x [${x.shape.join(',')}] and y [${y.shape.join(',')}] must hold the same number of samples along their first axis`,
    );
  }
  return x.shape[0];
};

/**
 * Rows `start .. start + count` of `x` (no copy when that is all of them).
 *
 * @example
 * ```ts
 * rowsOf(images, 128, 128).shape; // [128, 784]: the second batch
 * ```
 */
export const rowsOf = (x: Tensor, start: number, count: number): Tensor =>
  slice(
    x,
    x.shape.map((_, i) => (i === 0 ? start : 0)),
    x.shape.map((d, i) => (i === 0 ? count : d)),
  );

/**
 * `[start, count]` of each batch of `batchSize` over `n` samples; the last may be smaller.
 *
 * @example
 * ```ts
 * batchRanges(300, 128); // [[0, 128], [128, 128], [256, 44]]
 * ```
 */
export const batchRanges = (n: number, batchSize: number): [number, number][] => {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new TensorError('batches', `batchSize must be a positive integer, got ${batchSize}`);
  return Array.from({ length: Math.ceil(n / batchSize) }, (_, b) => [
    b * batchSize,
    Math.min(batchSize, n - b * batchSize),
  ]);
};

/**
 * The batch of `count` samples starting at `start` in `order` (a permutation of the
 * sample indices), or in storage order when `order` is undefined. Rows are copied by
 * the `gather` kernel of the data's backend: no per-sample objects.
 *
 * @example
 * ```ts
 * const order = permutationValues(foldIn(key, epoch), n);
 * const batch = takeBatch(data, order, 128, 128); // the second batch of the epoch
 * ```
 */
export const takeBatch = (data: Dataset, order: Int32Array | undefined, start: number, count: number): Dataset => {
  if (order === undefined) return { x: rowsOf(data.x, start, count), y: rowsOf(data.y, start, count) };
  const indices = tensor(order.subarray(start, start + count), { dtype: 'int32' });
  return { x: gather(data.x, indices), y: gather(data.y, indices) };
};

/**
 * Holds out the last `fraction` of the samples for validation, before any shuffling, as
 * Keras's `validation_split` does.
 *
 * @example
 * ```ts
 * const { train, validation } = splitValidation(data, 0.1); // 90% / 10%
 * ```
 */
export const splitValidation = (
  data: Dataset,
  fraction: number,
): { readonly train: Dataset; readonly validation: Dataset } => {
  const n = sampleCount('splitValidation', data);
  const cut = Math.floor(n * (1 - fraction));
  if (!(fraction > 0 && fraction < 1) || cut === 0 || cut === n) {
    throw new TensorError(
      'splitValidation',
      `validationSplit ${fraction} leaves no training or no validation samples out of ${n}`,
    );
  }
  const part = (start: number, count: number): Dataset => ({
    x: rowsOf(data.x, start, count),
    y: rowsOf(data.y, start, count),
  });
  return { train: part(0, cut), validation: part(cut, n - cut) };
};

/**
 * `value` (a data set or a tensor) on the backend `params` live on, when they all live
 * on one: the batches a loop takes from it are then cut by that backend, which for the
 * wasm backend means straight from the host arrays into wasm memory. Costs no copy:
 * backends keep host values where they are until a kernel needs them whole.
 *
 * @example
 * ```ts
 * const train = onBackendOf(state.params, { x: images, y: labels });
 * ```
 */
export function onBackendOf(params: unknown, value: Tensor): Tensor;
export function onBackendOf(params: unknown, value: Dataset): Dataset;
export function onBackendOf(params: unknown, value: Dataset | Tensor): Dataset | Tensor {
  const backends = backendsIn(params);
  if (backends.length !== 1) return value;
  const [backend] = backends;
  return value instanceof Tensor
    ? toBackend(value, backend)
    : { x: toBackend(value.x, backend), y: toBackend(value.y, backend) };
}
