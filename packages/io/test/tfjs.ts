import * as tf from '@tensorflow/tfjs';
import type { ModelFiles } from '../src/index.js';

// TensorFlow.js is the reference reader and writer of the layers-model format. These
// helpers hand it files in memory the way its own file and HTTP handlers would, and
// take what `model.save` writes the way tfjs-node's file handler would.

const arrayBufferOf = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/**
 * Loads model files with `tf.loadLayersModel`.
 *
 * @example
 * const model = await tfjsLoad(encoded);
 */
export async function tfjsLoad(files: ModelFiles): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(files.modelJson) as tf.io.ModelJSON;
  const handler: tf.io.IOHandler = {
    load: () =>
      tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => [
        tf.io.getWeightSpecs(manifest),
        arrayBufferOf(files.weightsBin),
      ]),
  };
  return tf.loadLayersModel(handler);
}

/**
 * What `model.save` writes, as model.json's text and weights.bin's bytes.
 *
 * @example
 * const files = await tfjsSave(tf.sequential({ layers: [...] }));
 */
export async function tfjsSave(model: tf.LayersModel): Promise<ModelFiles> {
  let files: ModelFiles | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData;
      if (weightData === undefined || weightData instanceof Array) throw new Error('expected one weights buffer');
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      files = { modelJson: JSON.stringify(modelJson), weightsBin: new Uint8Array(weightData) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (files === undefined) throw new Error('model.save wrote nothing');
  return files;
}

/**
 * TensorFlow.js's output for a batch, flattened.
 *
 * @example
 * tfjsPredict(model, [2, 28, 28], pixels); // Float32Array of class probabilities
 */
export function tfjsPredict(model: tf.LayersModel, batchShape: readonly number[], values: Float32Array): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(values, [...batchShape])) as tf.Tensor).dataSync() as Float32Array);
}
