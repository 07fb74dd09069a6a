import {
  add,
  concat,
  grad,
  mul,
  oneHot,
  reshape,
  slice,
  sum,
  tensor,
  type FloatDType,
  type Tensor,
} from '@axon/tensor';
import { ensure } from '../error.js';
import type { ScoreFunction } from '../scores/score-function.js';

/** Rows `start .. start + count - 1` of something indexed by sample or by view. */
export interface Span {
  readonly start: number;
  readonly count: number;
}

/** The spans of `size` items taken `step` at a time; the last may be shorter. */
const spans = (size: number, step: number): Span[] =>
  Array.from({ length: Math.ceil(size / step) }, (_, i) => ({
    start: i * step,
    count: Math.min(step, size - i * step),
  }));

/** Rows of `x` along its first axis. */
export const rowsOf = (x: Tensor, { start, count }: Span): Tensor =>
  slice(
    x,
    x.shape.map((_, i) => (i === 0 ? start : 0)),
    x.shape.map((d, i) => (i === 0 ? count : d)),
  );

/** Checks that a score function gave one row of class scores per input row. */
const checkScores = (method: string, scores: Tensor, rows: number): void =>
  ensure(
    scores.rank === 2 && scores.shape[0] === rows && (scores.dtype === 'float32' || scores.dtype === 'float64'),
    method,
    () =>
      `the score function must map ${rows} inputs to float scores [${rows}, classes], got ${scores.dtype}[${scores.shape.join(',')}]`,
  );

/**
 * The score function over `x` `[n, ...]`, `batchSize` rows per call, joined: `[n, classes]`.
 *
 * @example
 * ```ts
 * scoresInBatches('saliency', modelScores(model, params), images, 256).shape; // [n, 10]
 * ```
 */
export const scoresInBatches = (method: string, scores: ScoreFunction, x: Tensor, batchSize: number): Tensor =>
  concat(
    spans(x.shape[0], batchSize).map((span) => {
      const out = scores(rowsOf(x, span));
      checkScores(method, out, span.count);
      return out;
    }),
  );

/**
 * The gradient, with respect to each input row, of that row's score for its class:
 * one forward and one backward pass over all rows at once. Rows are independent, so
 * the gradient of the sum of the selected scores is every row's own gradient.
 */
const classGradients = (
  method: string,
  scores: ScoreFunction,
  inputs: Tensor,
  rowClasses: Int32Array,
  classCount: number,
): Tensor =>
  grad((xs: Tensor) => {
    const out = scores(xs);
    checkScores(method, out, rowClasses.length);
    ensure(
      out.shape[1] === classCount,
      method,
      () => `the score function gave ${out.shape[1]} classes here and ${classCount} before`,
    );
    return sum(mul(out, oneHot(tensor(rowClasses, { backend: xs.backend }), classCount, out.dtype as FloatDType)));
  })(inputs);

/**
 * The inputs of one pass: views `views` of samples `samples`, shaped
 * `[views.count, samples.count, ...sampleShape]`. A view is a point on an
 * integration path, or a noisy copy.
 */
export type ViewsOf = (views: Span, samples: Span) => Tensor;

/** What {@link weightedGradients} needs. */
export interface WeightedGradientsRequest {
  /** The public function's name, for error messages. */
  readonly method: string;
  readonly scores: ScoreFunction;
  /** The samples `[n, ...sampleShape]`: their count, shape, dtype and backend. */
  readonly x: Tensor;
  /** The class explained for each sample. */
  readonly classes: Int32Array;
  readonly classCount: number;
  /** One weight per view. */
  readonly weights: readonly number[];
  readonly views: ViewsOf;
  /** The most input rows (views × samples) per forward/backward pass. */
  readonly batchSize: number;
}

/**
 * For every sample `i`, `Σₖ weights[k] · ∇ score[classes[i]](view k of sample i)`,
 * shaped like the samples. Views of as many samples as fit go through the model
 * together, `batchSize` rows per forward/backward pass; a sample whose views do not
 * fit in one pass is spread over several, summed as they come.
 *
 * @example
 * ```ts
 * // Integrated Gradients' path sum: weights are the quadrature weights, views the path points.
 * const averaged = weightedGradients({ method, scores, x, classes, classCount, weights, views, batchSize: 256 });
 * ```
 */
export const weightedGradients = (request: WeightedGradientsRequest): Tensor => {
  const { method, scores, x, classes, classCount, weights, views, batchSize } = request;
  const [n, ...sampleShape] = x.shape;
  const viewCount = weights.length;
  const samplesPerPass = Math.min(n, Math.max(1, Math.floor(batchSize / viewCount)));
  const viewsPerPass = Math.min(viewCount, Math.max(1, Math.floor(batchSize / samplesPerPass)));
  const ones = sampleShape.map(() => 1);
  const weightsOf = ({ start, count }: Span): Tensor =>
    tensor(Float64Array.from(weights.slice(start, start + count)), {
      dtype: x.dtype,
      backend: x.backend,
      shape: [count, 1, ...ones],
    });
  const perSample = spans(n, samplesPerPass).map((samples) =>
    spans(viewCount, viewsPerPass)
      .map((viewSpan) => {
        const rowClasses = new Int32Array(viewSpan.count * samples.count);
        for (let r = 0; r < rowClasses.length; r++) rowClasses[r] = classes[samples.start + (r % samples.count)];
        const inputs = reshape(views(viewSpan, samples), [rowClasses.length, ...sampleShape]);
        const gradients = reshape(classGradients(method, scores, inputs, rowClasses, classCount), [
          viewSpan.count,
          samples.count,
          ...sampleShape,
        ]);
        return sum(mul(gradients, weightsOf(viewSpan)), 0);
      })
      .reduce((a, b) => add(a, b)),
  );
  return concat(perSample);
};

/**
 * Each sample's entry of `scores` `[n, classes]` for its class, in float64 on the host.
 *
 * @example
 * ```ts
 * classScores(tensor([[0.1, 0.9], [0.8, 0.2]]), Int32Array.of(1, 1)); // [0.9, 0.2]
 * ```
 */
export const classScores = (scores: Tensor, classes: Int32Array): number[] => {
  const values = scores.values;
  const classCount = scores.shape[1];
  return Array.from(classes, (c, i) => values[i * classCount + c]);
};
