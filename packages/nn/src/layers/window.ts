import { TensorError, type Conv2DGeometry, type Shape } from '@axon/tensor';
import { describeLayer, type LayerConfig } from './config.js';
import { checkLayer, LayerError } from './layer.js';

/**
 * The geometry of a windowed layer (convolution, pooling) for image samples of
 * `inputShape` `[height, width, channels]`, computed by the op's own geometry function
 * on a batch of one; what the op refuses is reported as the layer's error.
 *
 * @example
 * ```ts
 * sampleGeometry(config, [28, 28, 1], (xShape) => conv2dGeometry(xShape, [3, 3, 1, 32])).outHeight; // 26
 * ```
 */
export const sampleGeometry = (
  config: LayerConfig,
  inputShape: Shape,
  geometry: (xShape: Shape) => Conv2DGeometry,
): Conv2DGeometry => {
  checkLayer(
    inputShape.length === 3,
    config,
    () => `expects image samples [height, width, channels], got [${inputShape.join(',')}]`,
  );
  try {
    return geometry([1, ...inputShape]);
  } catch (error) {
    if (error instanceof TensorError) throw new LayerError(describeLayer(config), error.detail);
    throw error;
  }
};

/** A pair as a config stores it: `[height, width]`. */
export const pairOf = (value: number | readonly [number, number]): readonly [number, number] =>
  typeof value === 'number' ? [value, value] : [value[0], value[1]];
