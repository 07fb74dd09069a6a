/**
 * @axon/explain: which input values a model's decision rests on. Gradient saliency,
 * gradient × input, SmoothGrad and Integrated Gradients, as pure functions of a score
 * function (any model with its params, on any backend) and a batch of inputs.
 *
 * @example
 * ```ts
 * import { integratedGradients, modelScores } from '@axon/explain';
 *
 * const f = modelScores(model, params);               // softmax probabilities, inference mode
 * const ig = integratedGradients(f, images, { steps: 64 });
 * ig.attributions;       // the shape of images
 * ig.classes;            // the predicted class of each image, which was explained
 * ig.completenessError;  // Σ attributions − (f(x) − f(black)) per image: near 0
 * ```
 */
export { modelScores, type ModelScoresOptions, type ScoreFunction, type ScoreKind } from './scores/score-function.js';
export { explainedClasses, type ClassChoice } from './scores/classes.js';
export { attributionSums, type Attribution, type AttributionOptions } from './methods/attribution.js';
export { gradientTimesInput, saliency } from './methods/saliency.js';
export { smoothGrad, type SmoothGradOptions } from './methods/smooth-grad.js';
export {
  integrationPoints,
  integrationRules,
  type IntegrationPoints,
  type IntegrationRule,
} from './methods/integration-rule.js';
export {
  integratedGradients,
  type IntegratedGradientsOptions,
  type IntegratedGradientsResult,
} from './methods/integrated-gradients.js';
export { attributionScale, heatMap, type GrayImage, type HeatMapOptions, type RgbaImage } from './render/heat-map.js';
