import type { LayerConfig } from '@axon/nn';
import type { Shape, Tensor } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { type DecodeProblem, decodeFirstProblem } from '../../codec/decode-problem.js';
import type { OnnxNodes } from '../../onnx/onnx-nodes.js';
import type { JsonObject } from '../model-json.js';

/** One weight of a layer as a model file stores it, in the layer's file order. */
export interface WeightSpec {
  /** Keras's name: the file names the weight `<layer name>/<name>`, e.g. `dense/kernel`. */
  readonly name: string;
  /** The key of the tensor in the layer's axon params, or in its state. */
  readonly key: string;
  /**
   * Where axon keeps it: `params` (trained by gradients; Keras's trainable weights) or
   * `state` (updated as the layer runs, such as batch normalization's moving mean;
   * Keras's non-trainable weights, which files list after the trainable ones).
   */
  readonly collection: 'params' | 'state';
  readonly shape: Shape;
}

/** A Keras layer as `model.json` lists it, before its name and input shape are added. */
export interface KerasLayer {
  readonly className: string;
  readonly config: JsonObject;
}

/**
 * A kind of axon layer as model files hold it: the Keras classes it is read from, the
 * one it is written as, its output shape, and its weights in file order. Serialization
 * lives here, apart from the layers: an entry works on `@axon/nn`'s configs and on
 * shapes, never on layer implementations, so a new layer joins with one entry.
 */
export interface LayerKind<C extends LayerConfig = LayerConfig> {
  readonly kind: C['kind'];
  /** The Keras classes read as this kind, e.g. `Activation`, `ReLU`, `Softmax`. */
  readonly classNames: readonly string[];
  /**
   * axon's config for a Keras layer of one of {@link classNames}, given the sample
   * shape that reaches it. Left is the first problem, its path relative to the layer's
   * `config`.
   */
  readonly read: (className: string, config: JsonObject, inputShape: Shape) => E.Either<DecodeProblem, C>;
  /**
   * The Keras layer that computes the same function. `inputShape` is the sample shape
   * reaching the layer, for what Keras needs spelled out (a reshape's inferred extent).
   */
  readonly write: (config: C, inputShape: Shape) => KerasLayer;
  /** The shape of one output sample, or what the layer needs (a noun phrase) when it cannot take `inputShape`. */
  readonly outputShape: (config: C, inputShape: Shape) => E.Either<string, Shape>;
  /** The layer's weights in the order Keras saves them: trainable ones first. */
  readonly weights: (config: C, inputShape: Shape) => readonly WeightSpec[];
  /**
   * Adds the layer to an ONNX graph at inference (dropout is the identity): `input` is
   * the name of the value reaching it, `weights` its tensors by {@link WeightSpec.key}.
   * Returns the name of its output.
   */
  readonly onnx: (
    config: C,
    inputShape: Shape,
    input: string,
    weights: Readonly<Record<string, Tensor>>,
    nodes: OnnxNodes,
  ) => string;
}

/**
 * Decodes a layer's config with an io-ts codec, keeping the first problem.
 *
 * @example
 * readWith(t.type({ units: PositiveInteger }), { units: 0 }, (json) => …); // left({ path: ['units'], … })
 */
export const readWith = <A, C>(
  codec: t.Decoder<unknown, A>,
  config: JsonObject,
  build: (json: A) => E.Either<DecodeProblem, C>,
): E.Either<DecodeProblem, C> => E.chain(build)(decodeFirstProblem(codec, config));

/** The output shape of a layer that keeps the shape of what reaches it. */
export const sameShape = (_config: LayerConfig, inputShape: Shape): E.Either<string, Shape> => E.right(inputShape);

/** The weights of a layer that has none. */
export const noWeights = (): readonly WeightSpec[] => [];
