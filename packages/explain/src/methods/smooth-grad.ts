import { add, foldIn, normal, slice, stack, type FloatDType, type PRNGKey, type Tensor } from '@axon/tensor';
import { ensure } from '../error.js';
import { rowsOf, weightedGradients, type Span } from '../gradients/batched.js';
import type { ScoreFunction } from '../scores/score-function.js';
import { prepare, type Attribution, type AttributionOptions } from './attribution.js';

/** Options of {@link smoothGrad}. */
export interface SmoothGradOptions extends AttributionOptions {
  /** Where the noise comes from: the same key gives the same attributions. */
  readonly key: PRNGKey;
  /** Noisy copies averaged per sample; 50 unless stated, as in the paper. */
  readonly samples?: number;
  /**
   * The noise's standard deviation as a fraction of each sample's value range
   * (max − min); 0.15 unless stated, within the 10–20% the paper recommends. 0 gives
   * plain {@link saliency}.
   */
  readonly noiseLevel?: number;
}

/**
 * The spread of each sample's values, max − min, in float64.
 */
const ranges = (x: Tensor): number[] => {
  const n = x.shape[0];
  const width = x.size / n;
  const values = x.values;
  return Array.from({ length: n }, (_, i) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = i * width; j < (i + 1) * width; j++) {
      lo = Math.min(lo, values[j]);
      hi = Math.max(hi, values[j]);
    }
    return hi - lo;
  });
};

/**
 * SmoothGrad (Smilkov et al., 2017): the gradient saliency averaged over `samples`
 * copies of each input with Gaussian noise added, which removes much of the gradient's
 * local noise. Sample `i`'s noise comes from `foldIn(key, i)`, so a result does not
 * depend on `batchSize` or on the other samples in the batch.
 *
 * @example
 * ```ts
 * const { attributions } = smoothGrad(modelScores(model, params), images, { key: key(0), samples: 50, noiseLevel: 0.15 });
 * ```
 */
export const smoothGrad = (f: ScoreFunction, x: Tensor, options: SmoothGradOptions): Attribution => {
  const method = 'smoothGrad';
  const copies = options.samples ?? 50;
  const noiseLevel = options.noiseLevel ?? 0.15;
  ensure(Number.isInteger(copies) && copies > 0, method, () => `samples must be a positive integer, got ${copies}`);
  ensure(
    Number.isFinite(noiseLevel) && noiseLevel >= 0,
    method,
    () => `noiseLevel must be a non-negative number, got ${noiseLevel}`,
  );
  const { scores, classes, classCount, batchSize } = prepare(method, f, x, options);
  const sampleShape = x.shape.slice(1);
  const stddevs = ranges(x).map((range) => noiseLevel * range);
  /** Copies `views` of sample `i`: `[views.count, ...sampleShape]`. */
  const noisy = (views: Span, i: number): Tensor => {
    const noise = normal(foldIn(options.key, i), [copies, ...sampleShape], {
      dtype: x.dtype as FloatDType,
      backend: x.backend,
      stddev: stddevs[i],
    });
    const picked = slice(
      noise,
      noise.shape.map((_, a) => (a === 0 ? views.start : 0)),
      noise.shape.map((d, a) => (a === 0 ? views.count : d)),
    );
    return add(rowsOf(x, { start: i, count: 1 }), picked);
  };
  const attributions = weightedGradients({
    method,
    scores: f,
    x,
    classes,
    classCount,
    weights: new Array<number>(copies).fill(1 / copies),
    views: (views, samples) =>
      stack(
        Array.from({ length: samples.count }, (_, j) => noisy(views, samples.start + j)),
        1,
      ),
    batchSize,
  });
  return { attributions, classes: Array.from(classes), scores };
};
