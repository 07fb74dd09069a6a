import type { ActivationName } from '../activations/activations.js';
import type { InitializerConfig } from '../initializers/initializers.js';

/** A dense layer: `activation(x · kernel + bias)` over the last axis. */
export interface DenseConfig {
  readonly kind: 'dense';
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerConfig;
  readonly biasInitializer: InitializerConfig;
}

/** An activation applied element-wise (softmax: over the last axis). */
export interface ActivationConfig {
  readonly kind: 'activation';
  readonly activation: ActivationName;
}

/** Inverted dropout of a fraction `rate` of the inputs while training. */
export interface DropoutConfig {
  readonly kind: 'dropout';
  readonly rate: number;
}

/** Flattens each sample to one axis, in row-major (channels-last) order. */
export interface FlattenConfig {
  readonly kind: 'flatten';
}

/** Reshapes each sample to `targetShape` (one extent may be -1). */
export interface ReshapeConfig {
  readonly kind: 'reshape';
  readonly targetShape: readonly number[];
}

/** Layers applied one after another. */
export interface SequentialConfig {
  readonly kind: 'sequential';
  readonly layers: readonly LayerConfig[];
}

/**
 * A layer as plain, JSON-serializable data: enough to rebuild it with
 * `layers.fromConfig` and to write a Keras / TensorFlow.js `model.json`
 * (Dense, Activation, Dropout, Flatten, Reshape, Sequential).
 */
export type LayerConfig = DenseConfig | ActivationConfig | DropoutConfig | FlattenConfig | ReshapeConfig | SequentialConfig;

/**
 * A short description of a layer for messages and summaries, e.g. `dense(128, relu)`.
 *
 * @example
 * ```ts
 * describeLayer({ kind: 'dropout', rate: 0.2 }); // 'dropout(0.2)'
 * ```
 */
export const describeLayer = (config: LayerConfig): string => {
  switch (config.kind) {
    case 'dense': return `dense(${config.units}, ${config.activation})`;
    case 'activation': return `activation(${config.activation})`;
    case 'dropout': return `dropout(${config.rate})`;
    case 'flatten': return 'flatten';
    case 'reshape': return `reshape([${config.targetShape.join(',')}])`;
    case 'sequential': return `sequential(${config.layers.length} layers)`;
  }
};
