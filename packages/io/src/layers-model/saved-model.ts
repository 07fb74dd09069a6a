import type { KerasActivation } from './keras-activation.js';
import type { UserMetadata } from './model-json.js';

/**
 * A fully connected layer, `y = activation(x · kernel + bias)`, applied along the
 * last axis of its input.
 */
export interface DenseLayer {
  readonly kind: 'dense';
  readonly units: number;
  readonly activation: KerasActivation;
  /** Shape [inputs, units], row-major (Keras layout): `kernel[i * units + j]` joins input i to unit j. */
  readonly kernel: Float32Array;
  /** Shape [units]; `null` for a layer without bias. */
  readonly bias: Float32Array | null;
}

/** Dropout: zeroes a fraction `rate` of its inputs during training, the identity otherwise. */
export interface DropoutLayer {
  readonly kind: 'dropout';
  readonly rate: number;
}

/** Flattens each sample to one axis (row-major, Keras' channels-last order). */
export interface FlattenLayer {
  readonly kind: 'flatten';
}

/** Applies an activation function element-wise. */
export interface ActivationLayer {
  readonly kind: 'activation';
  readonly activation: KerasActivation;
}

/** One layer of a sequential model, with its weights. */
export type LayerSpec = DenseLayer | DropoutLayer | FlattenLayer | ActivationLayer;

/**
 * A sequential model as it is stored, independent of any tensor library: the shape of
 * one input sample, the layers in order with their weights, and the metadata kept
 * beside them (`null` when the file has none, as TensorFlow.js writes by default).
 */
export interface SavedModel {
  /** The shape of one sample, without the batch axis, e.g. [28, 28] or [784]. */
  readonly inputShape: readonly number[];
  readonly layers: readonly LayerSpec[];
  readonly metadata: UserMetadata | null;
}
