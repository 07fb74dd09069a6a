import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { decodeFirstProblem, describeProblem } from '../codec/decode-problem.js';
import { modelJsonFile, weightsFile } from './file-names.js';
import type { ModelFileError } from './model-file-error.js';
import { type LayerJson, ModelJson } from './model-json.js';
import type { LayerSpec, SavedModel } from './saved-model.js';
import {
  bytesPerFloat32,
  elementCount,
  type LayerOutline,
  outlineOf,
  type WeightLayout,
  weightArraysOf,
  weightLayout,
} from './weight-layout.js';

/** The two files of a model: `model.json`'s text and `weights.bin`'s bytes. */
export interface ModelFiles {
  readonly modelJson: string;
  readonly weightsBin: Uint8Array;
}

function layerJson(layer: LayerSpec, outline: LayerOutline, inputShape: readonly number[] | null): LayerJson {
  // Keras and TensorFlow.js read the model's input shape from its first layer.
  const base = {
    name: outline.name,
    trainable: true,
    dtype: 'float32',
    ...(inputShape === null ? {} : { batch_input_shape: [null, ...inputShape] }),
  };
  switch (layer.kind) {
    case 'dense':
      return {
        class_name: 'Dense',
        config: { ...base, units: layer.units, activation: layer.activation, use_bias: layer.bias !== null },
      };
    case 'dropout':
      return { class_name: 'Dropout', config: { ...base, rate: layer.rate } };
    case 'flatten':
      return { class_name: 'Flatten', config: { ...base, data_format: 'channels_last' } };
    case 'activation':
      return { class_name: 'Activation', config: { ...base, activation: layer.activation } };
  }
}

/** The model's weight layout, or why its parts do not fit together. */
function checkedLayout(model: SavedModel, outlines: readonly LayerOutline[]): E.Either<string, WeightLayout> {
  if (model.layers.length === 0) return E.left('the model has no layers');
  if (model.inputShape.length === 0 || !model.inputShape.every((size) => Number.isSafeInteger(size) && size > 0)) {
    return E.left(`the input shape [${model.inputShape.join(', ')}] is not a list of positive integers`);
  }
  return pipe(
    weightLayout(model.inputShape, outlines),
    E.mapLeft(
      (problem) =>
        `layer ${problem.layer} ("${outlines[problem.layer].name}") needs ${problem.expected}, not [${problem.inputShape.join(', ')}]`,
    ),
    E.chain((layout) => {
      const arrays = weightArraysOf(model.layers);
      const wrong = layout.slots.findIndex((slot, i) => arrays[i].length !== elementCount(slot.shape));
      if (wrong >= 0) {
        const slot = layout.slots[wrong];
        return E.left(
          `layer ${slot.layer} ("${outlines[slot.layer].name}") has a ${slot.role} of ${arrays[wrong].length} values; ` +
            `its shape [${slot.shape.join(', ')}] needs ${elementCount(slot.shape)}`,
        );
      }
      return E.right(layout);
    }),
  );
}

/**
 * Writes a model in the TensorFlow.js layers-model format: a Keras `Sequential`
 * topology with Keras layer names (`dense`, `dense_1`, …), one manifest group listing
 * `<layer>/kernel` and `<layer>/bias` as float32, the weights as little-endian float32
 * in that order, and the model's metadata as `userDefinedMetadata`.
 * `tf.loadLayersModel` loads the result.
 *
 * @param generatedBy Who wrote the file, e.g. `axon 0.1.0` (TensorFlow.js shows it when debugging).
 *
 * Refuses a model whose weight arrays do not fit its layers, or that holds a value the
 * format does not allow.
 *
 * @example
 * encodeModel(model, 'axon 0.1.0');
 * // right({ modelJson: '{"format":"layers-model",…}', weightsBin: Uint8Array […] })
 */
export function encodeModel(model: SavedModel, generatedBy: string): E.Either<ModelFileError, ModelFiles> {
  const outlines = outlineOf(model.layers);
  const checked = checkedLayout(model, outlines);
  if (E.isLeft(checked)) return E.left({ kind: 'model', message: checked.left });
  const layout = checked.right;
  const arrays = weightArraysOf(model.layers);
  const weightsBin = new Uint8Array(arrays.reduce((bytes, array) => bytes + array.length * bytesPerFloat32, 0));
  const view = new DataView(weightsBin.buffer);
  let offset = 0;
  for (const array of arrays) {
    for (const value of array) {
      view.setFloat32(offset, value, true);
      offset += bytesPerFloat32;
    }
  }

  const json: ModelJson = {
    format: 'layers-model',
    generatedBy: generatedBy,
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: model.layers.map((layer, i) => layerJson(layer, outlines[i], i === 0 ? model.inputShape : null)),
      },
      keras_version: generatedBy,
      backend: 'tensor_flow.js',
    },
    weightsManifest: [
      {
        paths: [weightsFile],
        weights: layout.slots.map((slot) => ({ name: slot.name, shape: slot.shape, dtype: 'float32' })),
      },
    ],
    ...(model.metadata === null ? {} : { userDefinedMetadata: model.metadata }),
  };
  const encoded = ModelJson.encode(json);
  // The codec that reads model.json also checks what is written (a dropout rate of 1.5,
  // a learning rate of 0), so that axon never writes a model it would refuse to load.
  return pipe(
    decodeFirstProblem(ModelJson, encoded),
    E.bimap(
      (problem): ModelFileError => ({ kind: 'model', message: `${modelJsonFile} would not load: ${describeProblem(problem)}` }),
      () => ({ modelJson: `${JSON.stringify(encoded, null, 2)}\n`, weightsBin }),
    ),
  );
}
