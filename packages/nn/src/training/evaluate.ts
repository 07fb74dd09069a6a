import {
  add,
  backendsIn,
  concat,
  reshape,
  stack,
  sum,
  TensorError,
  withReleaseScope,
  type Tensor,
  type TensorTree,
} from '@axon/tensor';
import { applyLayer, applyLayerSplit, inference, type AnyLayer } from '../layers/layer.js';
import type { Loss } from '../losses/losses.js';
import { batchRanges, onBackendOf, rowsOf, sampleCount, type Dataset } from './data.js';

/** How {@link evaluate} and {@link predict} batch their input, and the model state they run with. */
export interface BatchOptions {
  /** Samples per forward pass; 32 unless stated, as Keras. */
  readonly batchSize?: number;
  /**
   * The model's state (batch-norm moving statistics: `TrainState.modelState`, or the
   * state `init` returned). Needed by models with stateful layers; inference reads it
   * and never changes it.
   */
  readonly state?: TensorTree;
}

/** A model's mean loss over a data set and, for classification losses, its accuracy. */
export interface Evaluation {
  readonly loss: number;
  readonly accuracy?: number;
}

/**
 * The mean loss (and accuracy, for the cross-entropies) of a model over a data set, in
 * inference mode and in batches. Sums stay on the device until one read at the end, and
 * on backends that manage their own memory every intermediate is freed before it returns.
 *
 * @example
 * ```ts
 * const { loss, accuracy } = evaluate(model, losses.sparseCategoricalCrossentropy(), state.params, test, { batchSize: 1000, state: state.modelState });
 * ```
 */
export const evaluate = <P extends TensorTree>(
  model: AnyLayer<P>,
  loss: Loss,
  params: P,
  data: Dataset,
  options: BatchOptions = {},
): Evaluation => {
  const n = sampleCount('evaluate', data);
  if (n === 0) throw new TensorError('evaluate', 'the data set is empty');
  const matches = loss.matches;
  const samples = onBackendOf(params, data);
  const backends = backendsIn([params, samples]);
  // Per batch, [loss sum] or [loss sum, match count], added up on the device. Each batch
  // frees its intermediates before the next (only its sums pass to the enclosing scope).
  const batchSums = ([start, count]: [number, number]): Tensor => {
    const y = rowsOf(samples.y, start, count);
    const { split } = applyLayerSplit(model, params, rowsOf(samples.x, start, count), inference, options.state);
    const lossSum = sum(loss.perSampleFromSplit(y, split));
    return matches === undefined ? reshape(lossSum, [1]) : stack([lossSum, sum(matches(y, split))]);
  };
  const totals = () =>
    batchRanges(n, options.batchSize ?? 32)
      .map((range) =>
        withReleaseScope(
          backends,
          () => batchSums(range),
          (kept) => kept,
        ),
      )
      .reduce((a, b) => add(a, b)).values;
  const sums = withReleaseScope(backends, totals, () => undefined);
  return matches === undefined ? { loss: sums[0] / n } : { loss: sums[0] / n, accuracy: sums[1] / n };
};

/**
 * The model's outputs for every sample of `x`, in inference mode, batch by batch and
 * joined along the first axis. Batching bounds memory; the only per-batch costs are the
 * kernels themselves, and on backends that manage their own memory each batch's
 * intermediates are freed before it returns.
 *
 * @example
 * ```ts
 * const probabilities = predict(model, state.params, testImages, { batchSize: 128, state: state.modelState }); // [10000, 10]
 * ```
 */
export const predict = <P extends TensorTree>(
  model: AnyLayer<P>,
  params: P,
  x: Tensor,
  options: BatchOptions = {},
): Tensor => {
  if (x.rank === 0 || x.shape[0] === 0)
    throw new TensorError('predict', `needs at least one sample, got x [${x.shape.join(',')}]`);
  const samples = onBackendOf(params, x);
  const backends = backendsIn([params, samples]);
  // Each batch frees its intermediates before the next; its output passes to the enclosing scope.
  const batchOutput = ([start, count]: [number, number]): Tensor =>
    withReleaseScope(
      backends,
      () => applyLayer(model, params, rowsOf(samples, start, count), inference, options.state).y,
      (y) => y,
    );
  const outputs = (): Tensor => concat(batchRanges(x.shape[0], options.batchSize ?? 32).map(batchOutput));
  return withReleaseScope(backends, outputs, (result) => result);
};
