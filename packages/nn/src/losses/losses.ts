import {
  abs,
  add,
  div,
  log,
  logSoftmax,
  maximum,
  mean,
  minimum,
  mul,
  neg,
  oneHot,
  softplus,
  sparseSoftmaxCrossEntropy,
  square,
  sub,
  sum,
  TensorError,
  type FloatDType,
  type Tensor,
} from '@axon/tensor';
import type { FoldableActivation } from '../activations/activations.js';
import { finishOutput, type SplitOutput } from '../layers/layer.js';
import {
  asLabels,
  binaryMatches,
  categoricalMatches,
  meanPerSample,
  sparseCategoricalMatches,
} from '../metrics/metrics.js';

/** The losses this package provides. */
export type LossName =
  | 'sparseCategoricalCrossentropy'
  | 'categoricalCrossentropy'
  | 'binaryCrossentropy'
  | 'meanSquaredError'
  | 'meanAbsoluteError';

/**
 * A loss between targets and a model's predictions. Training minimizes the mean of
 * `perSample` over the batch (Keras's default `sum_over_batch_size` reduction).
 */
export interface Loss {
  readonly name: LossName;
  /** True when predictions are logits rather than probabilities (cross-entropies only). */
  readonly fromLogits: boolean;
  /** One loss per sample, `[batch]`, for the model's output. */
  perSample(targets: Tensor, predictions: Tensor): Tensor;
  /** The mean loss over the batch, a scalar. */
  value(targets: Tensor, predictions: Tensor): Tensor;
  /**
   * `perSample` from a model's split output. When the model ends in the activation this
   * loss folds in (softmax for the categorical cross-entropies, sigmoid for the binary
   * one) and the loss expects probabilities, it is computed from the logits in one
   * stable step, as Keras does, so training never takes `log(0)`.
   */
  perSampleFromSplit(targets: Tensor, split: SplitOutput): Tensor;
  /**
   * Per sample, whether the prediction is right (1 or 0; binary: the fraction of right
   * outputs): the accuracy Keras's `'accuracy'` metric picks for this loss. Absent for
   * regression losses.
   */
  readonly matches?: (targets: Tensor, split: SplitOutput) => Tensor;
}

/** Options of the cross-entropy losses. */
export interface CrossEntropyOptions {
  /** Predictions are unnormalized scores (logits), not probabilities. False unless stated. */
  readonly fromLogits?: boolean;
}

// Keras's backend epsilon: probabilities are clipped to [EPSILON, 1 - EPSILON] before the log.
const EPSILON = 1e-7;

const clip = (p: Tensor): Tensor => minimum(maximum(p, EPSILON), 1 - EPSILON);

const floatDType = (x: Tensor): FloatDType => {
  if (x.dtype !== 'float32' && x.dtype !== 'float64')
    throw new TensorError('loss', `predictions must be float, got ${x.dtype}[${x.shape.join(',')}]`);
  return x.dtype;
};

const checkBatch = (name: LossName, targets: Tensor, predictions: Tensor): void => {
  if (predictions.rank === 0 || targets.rank === 0 || targets.shape[0] !== predictions.shape[0]) {
    throw new TensorError(
      name,
      `targets [${targets.shape.join(',')}] and predictions [${predictions.shape.join(',')}] must share the batch axis`,
    );
  }
};

/** Log-probabilities from probabilities: renormalized over the last axis and clipped, as Keras. */
const logProbabilities = (p: Tensor): Tensor => log(clip(div(p, sum(p, -1, { keepDims: true }))));

/** What distinguishes one loss: its formulas and, for cross-entropies, the activation it folds in. */
interface LossDefinition {
  readonly name: LossName;
  readonly fromLogits: boolean;
  readonly perSample: (targets: Tensor, predictions: Tensor) => Tensor;
  /** The folded activation and the loss computed from its logits. */
  readonly folds?: {
    readonly activation: FoldableActivation;
    readonly fromLogits: (targets: Tensor, logits: Tensor) => Tensor;
  };
  /** Per-sample matches from scores, which are logits when `logits` is true. */
  readonly matches?: (targets: Tensor, scores: Tensor, logits: boolean) => Tensor;
}

const defineLoss = (definition: LossDefinition): Loss => {
  const { name, fromLogits, folds, matches } = definition;
  const perSample = (targets: Tensor, predictions: Tensor): Tensor => {
    checkBatch(name, targets, predictions);
    return definition.perSample(targets, predictions);
  };
  /** The logits inside `split` when this loss folds its final activation in. */
  const foldedLogits = (split: SplitOutput): Tensor | undefined =>
    folds !== undefined && !fromLogits && split.activation === folds.activation ? split.preActivation : undefined;
  return {
    name,
    fromLogits,
    perSample,
    value: (targets, predictions) => mean(perSample(targets, predictions)),
    perSampleFromSplit: (targets, split) => {
      const logits = foldedLogits(split);
      if (logits === undefined || folds === undefined) return perSample(targets, finishOutput(split));
      checkBatch(name, targets, logits);
      return folds.fromLogits(targets, logits);
    },
    ...(matches && {
      matches: (targets: Tensor, split: SplitOutput) => {
        const logits = foldedLogits(split);
        return logits === undefined
          ? matches(targets, finishOutput(split), fromLogits)
          : matches(targets, logits, true);
      },
    }),
  };
};

const sparseFromLogits = (labels: Tensor, logits: Tensor): Tensor =>
  sparseSoftmaxCrossEntropy(logits, asLabels(labels));

/**
 * Cross-entropy between integer class labels `[batch]` and class scores
 * `[batch, classes]`: probabilities (the default) or logits. From logits it is one
 * fused, stable kernel; so is the default when the model ends in softmax.
 *
 * @example
 * ```ts
 * const loss = losses.sparseCategoricalCrossentropy();
 * loss.value(tensor([2, 0], { dtype: 'int32' }), probabilities).item();
 * ```
 */
export const sparseCategoricalCrossentropy = (options: CrossEntropyOptions = {}): Loss =>
  defineLoss({
    name: 'sparseCategoricalCrossentropy',
    fromLogits: options.fromLogits ?? false,
    perSample: options.fromLogits
      ? sparseFromLogits
      : (labels, p) =>
          neg(sum(mul(oneHot(asLabels(labels), p.shape[p.rank - 1], floatDType(p)), logProbabilities(p)), -1)),
    folds: { activation: 'softmax', fromLogits: sparseFromLogits },
    matches: sparseCategoricalMatches,
  });

const categoricalFromLogits = (targets: Tensor, logits: Tensor): Tensor =>
  neg(sum(mul(targets, logSoftmax(logits)), -1));

/**
 * Cross-entropy between target distributions (one-hot rows) and class scores, both
 * `[batch, classes]`: probabilities (the default) or logits.
 *
 * @example
 * ```ts
 * losses.categoricalCrossentropy({ fromLogits: true }).value(oneHotTargets, logits);
 * ```
 */
export const categoricalCrossentropy = (options: CrossEntropyOptions = {}): Loss =>
  defineLoss({
    name: 'categoricalCrossentropy',
    fromLogits: options.fromLogits ?? false,
    perSample: options.fromLogits
      ? categoricalFromLogits
      : (targets, p) => neg(sum(mul(targets, logProbabilities(p)), -1)),
    folds: { activation: 'softmax', fromLogits: categoricalFromLogits },
    matches: categoricalMatches,
  });

// softplus(z) - y·z equals -(y·log σ(z) + (1 - y)·log(1 - σ(z))) without overflow, and
// its gradient is exactly σ(z) - y, also at z = 0.
const binaryFromLogits = (targets: Tensor, logits: Tensor): Tensor =>
  meanPerSample(sub(softplus(logits), mul(targets, logits)));

/**
 * Binary cross-entropy between targets in [0, 1] and predictions of the same shape
 * (`[batch]` or `[batch, outputs]`, averaged over outputs): probabilities (the
 * default) or logits.
 *
 * @example
 * ```ts
 * losses.binaryCrossentropy().value(tensor([1, 0]), tensor([0.9, 0.2]));
 * ```
 */
export const binaryCrossentropy = (options: CrossEntropyOptions = {}): Loss =>
  defineLoss({
    name: 'binaryCrossentropy',
    fromLogits: options.fromLogits ?? false,
    perSample: options.fromLogits
      ? binaryFromLogits
      : (targets, p) => {
          const q = clip(p);
          return meanPerSample(neg(add(mul(targets, log(q)), mul(sub(1, targets), log(sub(1, q))))));
        },
    folds: { activation: 'sigmoid', fromLogits: binaryFromLogits },
    matches: (targets, scores, logits) => binaryMatches(targets, scores, logits ? 0 : 0.5),
  });

/**
 * Mean squared error per sample, averaged over outputs.
 *
 * @example
 * ```ts
 * losses.meanSquaredError().value(tensor([[1], [2]]), tensor([[1.5], [2]])).item(); // 0.125
 * ```
 */
export const meanSquaredError = (): Loss =>
  defineLoss({
    name: 'meanSquaredError',
    fromLogits: false,
    perSample: (targets, predictions) => meanPerSample(square(sub(predictions, targets))),
  });

/**
 * Mean absolute error per sample, averaged over outputs.
 *
 * @example
 * ```ts
 * losses.meanAbsoluteError().value(tensor([[1], [2]]), tensor([[1.5], [2]])).item(); // 0.25
 * ```
 */
export const meanAbsoluteError = (): Loss =>
  defineLoss({
    name: 'meanAbsoluteError',
    fromLogits: false,
    perSample: (targets, predictions) => meanPerSample(abs(sub(predictions, targets))),
  });
