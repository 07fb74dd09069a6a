import { expandDims, mul, type Tensor } from '@axon/tensor';
import { rowsOf, weightedGradients } from '../gradients/batched.js';
import type { ScoreFunction } from '../scores/score-function.js';
import { prepare, type Attribution, type AttributionOptions } from './attribution.js';

/**
 * Vanilla gradient saliency (Simonyan et al., 2014): the gradient of the explained
 * class's score with respect to each input value, signed. It says where a small
 * change would move the score most; take its absolute value for a saliency map.
 * All samples go through the model together, `batchSize` at a time.
 *
 * @example
 * ```ts
 * const f = modelScores(model, params);
 * const { attributions, classes } = saliency(f, images); // attributions: the shape of images
 * ```
 */
export const saliency = (f: ScoreFunction, x: Tensor, options: AttributionOptions = {}): Attribution => {
  const { scores, classes, classCount, batchSize } = prepare('saliency', f, x, options);
  const attributions = weightedGradients({
    method: 'saliency',
    scores: f,
    x,
    classes,
    classCount,
    weights: [1],
    views: (_views, samples) => expandDims(rowsOf(x, samples), 0),
    batchSize,
  });
  return { attributions, classes: Array.from(classes), scores };
};

/**
 * Gradient × input (Shrikumar et al., 2016): each input value times the gradient of
 * the explained class's score with respect to it; for a linear model, each value's
 * exact share of the score.
 *
 * @example
 * ```ts
 * const { attributions } = gradientTimesInput(modelScores(model, params), images, { target: 7 });
 * ```
 */
export const gradientTimesInput = (f: ScoreFunction, x: Tensor, options: AttributionOptions = {}): Attribution => {
  const gradient = saliency(f, x, options);
  return { ...gradient, attributions: mul(x, gradient.attributions) };
};
