import type { LayerConfig } from '@axon/nn';
import { Tensor, type Shape, type TensorTree } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { type DecodeProblem, decodeFirstProblem, describeProblem } from '../codec/decode-problem.js';
import { checkTopology } from './decode.js';
import { kerasActivationOf } from './keras-activation.js';
import { kerasLayerNames } from './keras-names.js';
import { modelJsonFile, weightsFile } from './file-names.js';
import { type LeafConfig, layerKindOf } from './layer-kinds/index.js';
import type { ModelFileError } from './model-file-error.js';
import { type JsonObject, type LayerJson, ModelJson } from './model-json.js';
import type { SavedModel } from './saved-model.js';
import { describeNonFinite, firstNonFinite, writeFloat32s } from './weight-data.js';

/** The two files of a model: `model.json`'s text and `weights.bin`'s bytes. */
export interface ModelFiles {
  readonly modelJson: string;
  readonly weightsBin: Uint8Array;
}

/** A layer with its params and state, as they are written. */
interface Layered {
  readonly config: LayerConfig;
  readonly params: TensorTree;
  /** `{}` for a layer without state. */
  readonly state: TensorTree;
}

/**
 * The layers as Keras can express them: a dense or convolution layer with leaky ReLU,
 * an activation TensorFlow.js has only as a layer, becomes a linear one and a
 * LeakyReLU layer (the same function).
 */
const forKeras = (layers: readonly Layered[]): Layered[] =>
  layers.flatMap((layer): Layered[] => {
    const { config, params, state } = layer;
    if (config.kind === 'sequential') {
      const inner = forKeras(zipLayers(config.layers, params, state));
      return [
        {
          config: { kind: 'sequential', layers: inner.map((l) => l.config) },
          params: inner.map((l) => l.params),
          state: inner.map((l) => l.state),
        },
      ];
    }
    if ((config.kind === 'dense' || config.kind === 'conv2d') && kerasActivationOf(config.activation) === null) {
      return [
        { config: { ...config, activation: 'linear' }, params, state },
        { config: { kind: 'activation', activation: config.activation }, params: {}, state: {} },
      ];
    }
    return [layer];
  });

/** The `i`th entry of a params or state array; `{}` where there is none (a missing weight is caught when it is taken). */
const entryOf = (tree: TensorTree, i: number): TensorTree =>
  Array.isArray(tree) ? ((tree as readonly TensorTree[])[i] ?? {}) : {};

/** Pairs configs with their entries of params and state arrays (a stateless sequential's state is `{}`, not an array). */
const zipLayers = (configs: readonly LayerConfig[], params: TensorTree, state: TensorTree): Layered[] =>
  configs.map((config, i) => ({ config, params: entryOf(params, i), state: entryOf(state, i) }));

/** A layer's Keras class, config and weights, and the weights' values, in file order. */
interface Written {
  readonly json: LayerJson[];
  readonly weights: { readonly name: string; readonly shape: Shape; readonly values: ArrayLike<number> }[];
  readonly outputShape: Shape;
}

/** The layers, depth first, each with its Keras class: the order Keras names them in. */
const classesInOrder = (layers: readonly Layered[], shape: Shape): string[] =>
  layers.flatMap((layer) => {
    if (layer.config.kind === 'sequential')
      return ['Sequential', ...classesInOrder(zipLayers(layer.config.layers, layer.params, layer.state), shape)];
    return [layerKindOf(layer.config).write(layer.config, shape).className];
  });

/**
 * Writes layers as `model.json` lists them, with their weights. `names` hands out
 * Keras names in depth-first order; with `first`, the first layer (or the first of a
 * nested Sequential there) carries the input shape.
 */
function writeLayers(
  layers: readonly Layered[],
  inputShape: Shape,
  names: () => string,
  first: boolean,
): E.Either<string, Written> {
  const json: LayerJson[] = [];
  const weights: Written['weights'] = [];
  let shape = inputShape;
  for (const [i, layer] of layers.entries()) {
    const name = names();
    // Keras and TensorFlow.js read a model's input shape from its first layer.
    const base: JsonObject = {
      name,
      trainable: true,
      dtype: 'float32',
      ...(first && i === 0 && layer.config.kind !== 'sequential' ? { batch_input_shape: [null, ...inputShape] } : {}),
    };
    if (layer.config.kind === 'sequential') {
      // TensorFlow.js builds a nested Sequential from the input shape on its first layer.
      const inner = writeLayers(zipLayers(layer.config.layers, layer.params, layer.state), shape, names, true);
      if (E.isLeft(inner)) return inner;
      json.push({ class_name: 'Sequential', config: { ...base, layers: inner.right.json } });
      weights.push(...inner.right.weights);
      shape = inner.right.outputShape;
      continue;
    }
    const config = layer.config as LeafConfig;
    const kind = layerKindOf(config);
    const output = kind.outputShape(config, shape);
    if (E.isLeft(output)) return E.left(`layer "${name}" needs ${output.left}, not [${shape.join(', ')}]`);
    const keras = kind.write(config, shape);
    json.push({ class_name: keras.className, config: { ...base, ...keras.config } });
    for (const spec of kind.weights(config, shape)) {
      const weightName = `${name}/${spec.name}`;
      const value = (layer[spec.collection] as Readonly<Record<string, TensorTree>> | undefined)?.[spec.key];
      if (!(value instanceof Tensor)) return E.left(`layer "${name}" has no ${spec.key} in its ${spec.collection}`);
      if (value.shape.length !== spec.shape.length || value.shape.some((size, axis) => size !== spec.shape[axis])) {
        return E.left(
          `layer "${name}" has a ${spec.key} of shape [${value.shape.join(', ')}]; it needs [${spec.shape.join(', ')}]`,
        );
      }
      const values = value.values;
      const bad = firstNonFinite(values);
      if (bad !== undefined) return E.left(describeNonFinite(weightName, spec.shape, bad));
      weights.push({ name: weightName, shape: spec.shape, values });
    }
    shape = output.right;
  }
  return E.right({ json, weights, outputShape: shape });
}

/**
 * Writes a model in the TensorFlow.js layers-model format: a Keras `Sequential`
 * topology with Keras layer names (`dense`, `dense_1`, …), one manifest group listing
 * each layer's weights (`dense/kernel`, `dense/bias`) as float32, the weights as
 * little-endian float32 in that order, and the metadata as `userDefinedMetadata`.
 * `tf.loadLayersModel` loads the result.
 *
 * @param generatedBy Who wrote the file, e.g. `axon 0.1.0` (TensorFlow.js shows it when debugging).
 *
 * Refuses a model whose params do not fit its layers, whose weights are not finite, or
 * that holds a value the format does not allow.
 *
 * @example
 * encodeModel({ inputShape: [28, 28], config: model.config, params, metadata: null }, 'axon 0.1.0');
 * // right({ modelJson: '{"format":"layers-model",…}', weightsBin: Uint8Array […] })
 */
export function encodeModel(model: SavedModel, generatedBy: string): E.Either<ModelFileError, ModelFiles> {
  const refuse = (message: string): E.Either<ModelFileError, ModelFiles> => E.left({ kind: 'model', message });
  if (model.config.layers.length === 0) return refuse('the model has no layers');
  if (model.inputShape.length === 0 || !model.inputShape.every((size) => Number.isSafeInteger(size) && size > 0)) {
    return refuse(`the input shape [${model.inputShape.join(', ')}] is not a list of positive integers`);
  }
  if (model.params.length !== model.config.layers.length) {
    return refuse(`the model has ${model.config.layers.length} layers but params for ${model.params.length}`);
  }
  const layers = forKeras(zipLayers(model.config.layers, model.params, model.state ?? {}));
  const names = kerasLayerNames(classesInOrder(layers, model.inputShape));
  let next = 0;
  const written = writeLayers(layers, model.inputShape, () => names[next++], true);
  if (E.isLeft(written)) return refuse(written.left);

  const json: ModelJson = {
    format: 'layers-model',
    generatedBy,
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'sequential', layers: written.right.json },
      keras_version: generatedBy,
      backend: 'tensor_flow.js',
    },
    weightsManifest: [
      {
        paths: [weightsFile],
        weights: written.right.weights.map((weight) => ({ name: weight.name, shape: weight.shape, dtype: 'float32' })),
      },
    ],
    ...(model.metadata === null ? {} : { userDefinedMetadata: model.metadata }),
  };
  const encoded = ModelJson.encode(json);
  // What reads model.json also checks what is written (a dropout rate of 1.5, metadata
  // that is not an object), so that axon never writes a model it would refuse to load.
  const wouldNotLoad = (problem: DecodeProblem): ModelFileError => ({
    kind: 'model',
    message: `${modelJsonFile} would not load: ${describeProblem(problem)}`,
  });
  return pipe(
    decodeFirstProblem(ModelJson, encoded),
    E.mapLeft(wouldNotLoad),
    E.chain((checked) =>
      E.mapLeft((error: ModelFileError) => (error.kind === 'field' ? wouldNotLoad(error.problem) : error))(
        checkTopology(checked),
      ),
    ),
    E.map(() => ({
      modelJson: `${JSON.stringify(encoded, null, 2)}\n`,
      weightsBin: writeFloat32s(written.right.weights.map((weight) => weight.values)),
    })),
  );
}
