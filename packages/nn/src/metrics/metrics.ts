import {
  argmax,
  cast,
  div,
  equal,
  eye,
  greater,
  matmul,
  maximum,
  mean,
  mul,
  oneHot,
  sum,
  TensorError,
  type Tensor,
} from '@axon/tensor';

/**
 * Mean over every axis but the first: one value per sample.
 *
 * @example
 * ```ts
 * meanPerSample(tensor([[1, 3], [2, 2]])).toArray(); // [2, 2]
 * ```
 */
export const meanPerSample = (x: Tensor): Tensor => (x.rank <= 1 ? x : mean(x, [...x.shape.keys()].slice(1)));

/**
 * Class labels as int32 (Keras accepts float labels too).
 *
 * @example
 * ```ts
 * asLabels(tensor([2, 0])).dtype; // 'int32'
 * ```
 */
export const asLabels = (labels: Tensor): Tensor => (labels.dtype === 'int32' ? labels : cast(labels, 'int32'));

/**
 * Per sample, 1 where the highest score's class equals the integer label, else 0 (in
 * the scores' dtype). Scores may be probabilities or logits: the argmax is the same.
 *
 * @example
 * ```ts
 * sparseCategoricalMatches(tensor([1, 0], { dtype: 'int32' }), tensor([[0.2, 0.8], [0.3, 0.7]])).toArray(); // [1, 0]
 * ```
 */
export const sparseCategoricalMatches = (labels: Tensor, scores: Tensor): Tensor =>
  cast(equal(argmax(scores, -1), asLabels(labels)), scores.dtype);

/**
 * Per sample, 1 where the highest score's class is the one-hot target's class, else 0.
 *
 * @example
 * ```ts
 * categoricalMatches(tensor([[0, 1]]), tensor([[0.2, 0.8]])).toArray(); // [1]
 * ```
 */
export const categoricalMatches = (targets: Tensor, scores: Tensor): Tensor =>
  cast(equal(argmax(scores, -1), argmax(targets, -1)), scores.dtype);

/**
 * Per sample, the fraction of outputs on the right side of `threshold` (targets are
 * read as 0/1 around 0.5). Use threshold 0 for logits, 0.5 for probabilities.
 *
 * @example
 * ```ts
 * binaryMatches(tensor([1, 0]), tensor([0.7, 0.6])).toArray(); // [1, 0]
 * ```
 */
export const binaryMatches = (targets: Tensor, scores: Tensor, threshold = 0.5): Tensor =>
  meanPerSample(cast(equal(greater(scores, threshold), greater(targets, 0.5)), scores.dtype));

/**
 * The fraction of samples whose highest score is their integer label (Keras's
 * `sparse_categorical_accuracy`), as a scalar tensor.
 *
 * @example
 * ```ts
 * metrics.sparseCategoricalAccuracy(tensor([0, 2], { dtype: 'int32' }), tensor([[0.9, 0.1, 0], [0.6, 0.1, 0.3]])).item(); // 0.5
 * ```
 */
export const sparseCategoricalAccuracy = (labels: Tensor, scores: Tensor): Tensor =>
  mean(sparseCategoricalMatches(labels, scores));

/**
 * The fraction of samples whose highest score is the one-hot target's class.
 *
 * @example
 * ```ts
 * metrics.categoricalAccuracy(tensor([[0, 1], [1, 0]]), tensor([[0.2, 0.8], [0.3, 0.7]])).item(); // 0.5
 * ```
 */
export const categoricalAccuracy = (targets: Tensor, scores: Tensor): Tensor =>
  mean(categoricalMatches(targets, scores));

/**
 * The fraction of binary outputs on the right side of `threshold` (0.5 for probabilities, 0 for logits).
 *
 * @example
 * ```ts
 * metrics.binaryAccuracy(tensor([1, 0]), tensor([2.5, -1]), 0).item(); // 1 (logits)
 * ```
 */
export const binaryAccuracy = (targets: Tensor, scores: Tensor, threshold = 0.5): Tensor =>
  mean(binaryMatches(targets, scores, threshold));

/**
 * Counts of (true class, predicted class) pairs: entry `[i, j]` is the number of samples
 * of class `i` predicted as `j`, as `tf.math.confusion_matrix`. Labels and predictions
 * are int32 class indices; ones outside `[0, classes)` are not counted.
 *
 * @example
 * ```ts
 * const predicted = argmax(model.apply(params, x), -1);
 * metrics.confusionMatrix(labels, predicted, 10); // int32 [10, 10]
 * ```
 */
export const confusionMatrix = (labels: Tensor, predictions: Tensor, classes: number): Tensor<'int32'> => {
  if (labels.rank !== 1 || predictions.rank !== 1 || labels.shape[0] !== predictions.shape[0]) {
    throw new TensorError(
      'confusionMatrix',
      `labels [${labels.shape.join(',')}] and predictions [${predictions.shape.join(',')}] must be [n] and [n]`,
    );
  }
  // One-hot rows turn counting into one matrix product, which runs on any backend;
  // float64 counts are exact far beyond any data set's size.
  const truth = oneHot(asLabels(labels), classes, 'float64');
  const predicted = oneHot(asLabels(predictions), classes, 'float64');
  return cast(matmul(truth, predicted, { transposeA: true }), 'int32');
};

/** Per-class precision and recall, each `[classes]`. */
export interface PrecisionRecall {
  /** Of the samples predicted as class `c`, the fraction that are `c`; 0 when none were. */
  readonly precision: Tensor<'float64'>;
  /** Of the samples of class `c`, the fraction predicted as `c`; 0 when there are none. */
  readonly recall: Tensor<'float64'>;
}

/**
 * Per-class precision and recall from a {@link confusionMatrix} (0 where a class was
 * never predicted, or never occurs, as Keras and scikit-learn's default report).
 *
 * @example
 * ```ts
 * const { precision, recall } = metrics.precisionRecall(metrics.confusionMatrix(labels, predicted, 10));
 * ```
 */
export const precisionRecall = (matrix: Tensor): PrecisionRecall => {
  const counts = cast(matrix, 'float64');
  const classes = counts.shape[0];
  const hits = sum(mul(counts, eye(classes, classes, { dtype: 'float64', backend: counts.backend })), 1);
  // A class with no samples (or no predictions) has no hits either, so 0 / max(0, 1) = 0.
  const ratio = (totals: Tensor<'float64'>): Tensor<'float64'> => div(hits, maximum(totals, 1));
  return { precision: ratio(sum(counts, 0)), recall: ratio(sum(counts, 1)) };
};

/** A running mean of values weighted by counts, such as per-batch losses over an epoch. */
export interface RunningMean {
  readonly total: number;
  readonly count: number;
}

/**
 * A running mean with nothing in it yet.
 *
 * @example
 * ```ts
 * meanOf(addToMean(emptyMean, 0.5)); // 0.5
 * ```
 */
export const emptyMean: RunningMean = { total: 0, count: 0 };

/**
 * Adds `value` with weight `count` (e.g. a batch's mean loss and its size).
 *
 * @example
 * ```ts
 * const m = addToMean(addToMean(emptyMean, 0.5, 128), 0.3, 32);
 * meanOf(m); // (0.5 * 128 + 0.3 * 32) / 160
 * ```
 */
export const addToMean = (running: RunningMean, value: number, count = 1): RunningMean => ({
  total: running.total + value * count,
  count: running.count + count,
});

/**
 * The mean so far; NaN when nothing has been added.
 *
 * @example
 * ```ts
 * meanOf({ total: 3, count: 2 }); // 1.5
 * ```
 */
export const meanOf = (running: RunningMean): number => running.total / running.count;
