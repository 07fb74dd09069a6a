import { reshape as reshapeOp, sizeOf, type Shape } from '@axon/tensor';
import type { FlattenConfig, LayerConfig, ReshapeConfig } from './config.js';
import { checkLayer, type Layer, type NoParams } from './layer.js';

/** The sample shape `target` gives to samples of `inputShape`, with a -1 extent inferred. */
const resolveShape = (config: LayerConfig, inputShape: Shape, target: Shape): Shape => {
  const known = sizeOf(target.filter((d) => d !== -1));
  const size = sizeOf(inputShape);
  const inferred = target.filter((d) => d === -1).length;
  const resolved = target.map((d) => (d === -1 ? size / known : d));
  checkLayer(
    inferred <= 1 &&
      target.every((d) => d === -1 || (Number.isInteger(d) && d > 0)) &&
      resolved.every(Number.isInteger) &&
      sizeOf(resolved) === size,
    config,
    () => `cannot reshape samples [${inputShape.join(',')}] (${size} values) into [${target.join(',')}]`,
  );
  return resolved;
};

/** A parameter-free layer reshaping each sample to `target(sampleShape)`. */
const reshaping = <C extends FlattenConfig | ReshapeConfig>(
  config: C,
  target: (sample: Shape) => Shape,
): Layer<NoParams, C> => ({
  config,
  init: (_key, inputShape) => ({ params: {}, outputShape: resolveShape(config, inputShape, target(inputShape)) }),
  apply: (_params, x) => {
    checkLayer(x.rank >= 1, config, () => 'expects a batch of samples, got a scalar');
    const sample = x.shape.slice(1);
    return reshapeOp(x, [x.shape[0], ...resolveShape(config, sample, target(sample))]);
  },
});

/**
 * Flattens each sample to one axis in row-major (channels-last) order:
 * `[batch, 28, 28]` becomes `[batch, 784]`. No values are copied.
 *
 * @example
 * ```ts
 * layers.flatten().init(key(0), [28, 28]).outputShape; // [784]
 * ```
 */
export const flatten = (): Layer<NoParams, FlattenConfig> => {
  const config: FlattenConfig = { kind: 'flatten' };
  return reshaping(config, (sample) => [sizeOf(sample)]);
};

/**
 * Reshapes each sample to `targetShape` (without the batch axis; one extent may be -1).
 *
 * @example
 * ```ts
 * layers.reshape([28, -1]).init(key(0), [784]).outputShape; // [28, 28]
 * ```
 */
export const reshape = (targetShape: readonly number[]): Layer<NoParams, ReshapeConfig> => {
  const config: ReshapeConfig = { kind: 'reshape', targetShape: [...targetShape] };
  return reshaping(config, () => config.targetShape);
};
