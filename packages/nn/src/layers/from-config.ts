import { initializerFromConfig } from '../initializers/initializers.js';
import { activation } from './activation.js';
import { batchNormalization } from './batch-normalization.js';
import { conv2d } from './conv2d.js';
import type { LayerConfig } from './config.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import type { AnyLayer } from './layer.js';
import { averagePooling2d, globalAveragePooling2d, maxPooling2d } from './pooling.js';
import { flatten, reshape } from './reshape.js';
import { sequential } from './sequential.js';

/**
 * Rebuilds a layer (or a whole model) from its config: the inverse of `layer.config`.
 * Parameters and state are not part of a config; load them separately. Whether the
 * layer has state is known only at run time: run it with `applyLayer`, or check
 * `isStateful`.
 *
 * @example
 * ```ts
 * const copy = layers.fromConfig(JSON.parse(JSON.stringify(model.config)));
 * applyLayer(copy, params, x).y; // the same function as model.apply
 * ```
 */
export const fromConfig = (config: LayerConfig): AnyLayer => {
  switch (config.kind) {
    case 'dense':
      return dense(config.units, {
        activation: config.activation,
        useBias: config.useBias,
        kernelInitializer: initializerFromConfig(config.kernelInitializer),
        biasInitializer: initializerFromConfig(config.biasInitializer),
      });
    case 'activation':
      return activation(config.activation);
    case 'dropout':
      return dropout(config.rate);
    case 'flatten':
      return flatten();
    case 'reshape':
      return reshape(config.targetShape);
    case 'conv2d':
      return conv2d(config.filters, config.kernelSize, {
        strides: config.strides,
        padding: config.padding,
        dilation: config.dilation,
        activation: config.activation,
        useBias: config.useBias,
        kernelInitializer: initializerFromConfig(config.kernelInitializer),
        biasInitializer: initializerFromConfig(config.biasInitializer),
      });
    case 'maxPooling2d':
      return maxPooling2d(config.poolSize, { strides: config.strides, padding: config.padding });
    case 'averagePooling2d':
      return averagePooling2d(config.poolSize, { strides: config.strides, padding: config.padding });
    case 'globalAveragePooling2d':
      return globalAveragePooling2d();
    case 'batchNormalization':
      return batchNormalization({
        momentum: config.momentum,
        epsilon: config.epsilon,
        center: config.center,
        scale: config.scale,
      });
    case 'sequential':
      return sequential(config.layers.map(fromConfig));
  }
};
