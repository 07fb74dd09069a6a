import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

// TensorFlow.js is the reference reader of the layers-model format. Plain tfjs has no
// file handler in Node, so model.json and the weights are read from disk here and
// handed over the way tfjs' own file and HTTP loaders do.

const arrayBufferOf = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/**
 * Loads a model directory with `tf.loadLayersModel`, reading the weight files its
 * manifest names.
 *
 * @example
 * const model = await tfjsLoad('model');
 */
export async function tfjsLoad(directory: string): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(await readFile(path.join(directory, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const handler: tf.io.IOHandler = {
    load: () =>
      tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const buffers = await Promise.all(
          manifest
            .flatMap((group) => group.paths)
            .map(async (name) => arrayBufferOf(await readFile(path.join(directory, name)))),
        );
        return [tf.io.getWeightSpecs(manifest), tf.io.concatenateArrayBuffers(buffers)];
      }),
  };
  return tf.loadLayersModel(handler);
}

/**
 * TensorFlow.js' output for one sample, flattened.
 *
 * @example
 * tfjsPredict(model, [28, 28], pixels); // Float32Array of class probabilities
 */
export function tfjsPredict(model: tf.LayersModel, inputShape: readonly number[], sample: Float32Array): Float32Array {
  return tf.tidy(() => {
    const output = model.predict(tf.tensor(sample, [1, ...inputShape])) as tf.Tensor;
    return output.dataSync() as Float32Array;
  });
}
