// TensorFlow.js is the reference reader and writer of the layers-model format: these
// tests load axon's files with `tf.loadLayersModel` and read the files TensorFlow.js
// saves (written here as tfjs-node's file handler would).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderModelFileError, type SavedModel } from '@axon/io';
import { loadModelDirectory, saveModelDirectory } from '@axon/io/node';
import { referenceForward, savedModelArbitrary } from '@axon/io/testing';
import { userMetadataOf } from '../src/model/axon-metadata.js';
import { expectAllClose } from './support/expect-close.js';
import { metadataArbitrary } from './support/metadata-arbitrary.js';
import { tfjsLoad, tfjsPredict } from './support/tfjs-model.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(tmpdir(), 'axon-tfjs-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let directories = 0;
const freshDirectory = (): string => path.join(root, `model-${directories++}`);

/** Saves a TensorFlow.js model as model.json + weights.bin, as tfjs-node's file handler does. */
async function tfjsSave(model: tf.LayersModel, directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
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
        ...(artifacts.userDefinedMetadata === undefined ? {} : { userDefinedMetadata: artifacts.userDefinedMetadata }),
      };
      await writeFile(path.join(directory, 'model.json'), JSON.stringify(modelJson));
      await writeFile(path.join(directory, 'weights.bin'), new Uint8Array(weightData));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Reads a model directory, throwing its one-line message if the files are not a valid model. */
async function loadSavedModel(directory: string): Promise<SavedModel> {
  const loaded = await loadModelDirectory(directory)();
  if (E.isLeft(loaded)) throw new Error(renderModelFileError(loaded.left));
  return loaded.right;
}

async function saveOurs(model: SavedModel): Promise<string> {
  const directory = freshDirectory();
  const saved = await saveModelDirectory(directory, model, 'axon test')();
  if (E.isLeft(saved)) throw new Error(renderModelFileError(saved.left));
  return directory;
}

const sampleFor = (model: SavedModel, seed: number): Float32Array =>
  Float32Array.from(fc.sample(fc.float({ min: -1, max: 1, noNaN: true }), { numRuns: model.inputShape.reduce((a, b) => a * b, 1), seed }));

describe('TensorFlow.js reads what axon writes', () => {
  it('tf.loadLayersModel loads axon models and predicts what a float64 reference computes from the same weights', async () => {
    await fc.assert(
      fc.asyncProperty(savedModelArbitrary(), fc.nat(), async (model, seed) => {
        const directory = await saveOurs(model);
        const tfModel = await tfjsLoad(directory);
        const sample = sampleFor(model, seed);
        expectAllClose(tfjsPredict(tfModel, model.inputShape, sample), referenceForward(model, sample));
        tfModel.dispose();
      }),
      { numRuns: 25 },
    );
  });

  it('loads the tutorial-sized network (784 → 128 → 128 → 10) and keeps axon metadata in userDefinedMetadata', async () => {
    const [metadata] = fc.sample(metadataArbitrary(10), { numRuns: 1, seed: 1 });
    const userMetadata = userMetadataOf(metadata);
    if (E.isLeft(userMetadata)) throw new Error(userMetadata.left);
    // Spread-out values without the cost of sampling 100,000 of them.
    const weights = (length: number, seed: number): Float32Array =>
      Float32Array.from({ length }, (_, i) => 0.1 * Math.sin(seed * 7919 + i * 12.9898));
    const model: SavedModel = {
      inputShape: [28, 28],
      layers: [
        { kind: 'flatten' },
        { kind: 'dense', units: 128, activation: 'relu', kernel: weights(784 * 128, 1), bias: weights(128, 2) },
        { kind: 'dense', units: 128, activation: 'relu', kernel: weights(128 * 128, 3), bias: weights(128, 4) },
        { kind: 'dense', units: 10, activation: 'softmax', kernel: weights(128 * 10, 5), bias: weights(10, 6) },
      ],
      metadata: userMetadata.right,
    };
    const tfModel = await tfjsLoad(await saveOurs(model));
    expect(tfModel.layers.map((layer) => layer.name)).toEqual(['flatten', 'dense', 'dense_1', 'dense_2']);
    expect(tfModel.getUserDefinedMetadata()).toEqual({ axon: JSON.parse(JSON.stringify(metadata)) });
    const sample = sampleFor(model, 9).map(Math.abs);
    expectAllClose(tfjsPredict(tfModel, model.inputShape, sample), referenceForward(model, sample));
    tfModel.dispose();
  });
});

describe('axon reads what TensorFlow.js writes', () => {
  it('decodes a model built and saved by TensorFlow.js, with its weights and outputs', async () => {
    const tfModel = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [3, 4] }),
        tf.layers.dense({ units: 5, activation: 'elu' }),
        tf.layers.dropout({ rate: 0.3 }),
        tf.layers.dense({ units: 4, activation: 'tanh', useBias: false }),
        tf.layers.activation({ activation: 'softmax' }),
      ],
    });
    const directory = freshDirectory();
    await tfjsSave(tfModel, directory);
    const model = await loadSavedModel(directory);

    expect(model.inputShape).toEqual([3, 4]);
    expect(model.metadata).toBeNull();
    expect(model.layers.map((layer) => layer.kind)).toEqual(['flatten', 'dense', 'dropout', 'dense', 'activation']);
    const [first, dropout, second, activation] = model.layers.slice(1);
    expect(first).toMatchObject({ units: 5, activation: 'elu' });
    expect(dropout).toEqual({ kind: 'dropout', rate: 0.3 });
    expect(second).toMatchObject({ units: 4, activation: 'tanh', bias: null });
    expect(activation).toEqual({ kind: 'activation', activation: 'softmax' });
    const tfWeights = tfModel.getWeights().map((weight) => weight.dataSync() as Float32Array);
    expect(first.kind === 'dense' && [first.kernel, first.bias]).toEqual([tfWeights[0], tfWeights[1]]);
    expect(second.kind === 'dense' && second.kernel).toEqual(tfWeights[2]);

    const sample = sampleFor(model, 3);
    expectAllClose(tfjsPredict(tfModel, model.inputShape, sample), referenceForward(model, sample));
    tfModel.dispose();
  });

  it('round-trips axon → TensorFlow.js → axon without changing layers, weights or metadata', async () => {
    await fc.assert(
      fc.asyncProperty(savedModelArbitrary(), async (model) => {
        const tfModel = await tfjsLoad(await saveOurs(model));
        const directory = freshDirectory();
        await tfjsSave(tfModel, directory);
        expect(await loadSavedModel(directory)).toEqual(model);
        tfModel.dispose();
      }),
      { numRuns: 15 },
    );
  });
});
