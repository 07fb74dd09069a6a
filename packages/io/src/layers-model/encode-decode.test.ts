import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import type { PathSegment } from '../codec/decode-problem.js';
import { decodeModel, parseModelJson } from './decode.js';
import { encodeModel, type ModelFiles } from './encode.js';
import { type ModelFileError, renderModelFileError } from './model-file-error.js';
import type { SavedModel } from './saved-model.js';
import { float32s, savedModelArbitrary } from '../testing/saved-model-arbitrary.js';

const decodeFiles = (files: ModelFiles): E.Either<ModelFileError, SavedModel> =>
  pipe(parseModelJson(files.modelJson), E.chain((json) => decodeModel(json, files.weightsBin)));

const encoded = (model: SavedModel): ModelFiles => {
  const files = encodeModel(model, 'axon test');
  if (E.isLeft(files)) throw new Error(renderModelFileError(files.left));
  return files.right;
};

/** The rendered error of decoding `files`, failing the test if they decode. */
const decodeError = (files: ModelFiles): string => {
  const result = decodeFiles(files);
  if (E.isRight(result)) throw new Error('expected the model to be refused');
  return renderModelFileError(result.left);
};

/** A change to parsed JSON, in place. */
type Edit = (json: unknown) => void;
type Container = Record<string | number, unknown>;

/** The object or array that holds the value at `path`, and the value's key in it. */
const holderOf = (json: unknown, path: readonly PathSegment[]): [Container, PathSegment] => [
  path.slice(0, -1).reduce<Container>((node, key) => node[key] as Container, json as Container),
  path[path.length - 1],
];
/** Sets the value at `path`. */
const set =
  (path: readonly PathSegment[], value: unknown): Edit =>
  (json) => {
    const [holder, key] = holderOf(json, path);
    holder[key] = value;
  };
/** Removes the value at `path`: the key from an object, the element from an array. */
const remove =
  (path: readonly PathSegment[]): Edit =>
  (json) => {
    const [holder, key] = holderOf(json, path);
    if (Array.isArray(holder) && typeof key === 'number') holder.splice(key, 1);
    else delete holder[key];
  };

/** Re-encodes model.json after `edit` changes its parsed JSON. */
const editJson = (files: ModelFiles, edit: Edit): ModelFiles => {
  const json: unknown = JSON.parse(files.modelJson);
  edit(json);
  return { ...files, modelJson: JSON.stringify(json) };
};

const small: SavedModel = {
  inputShape: [2, 2],
  layers: [
    { kind: 'flatten' },
    { kind: 'dense', units: 3, activation: 'relu', kernel: Float32Array.from({ length: 12 }, (_, i) => i / 10), bias: new Float32Array([1, 2, 3]) },
    { kind: 'dropout', rate: 0.25 },
    { kind: 'dense', units: 2, activation: 'softmax', kernel: new Float32Array([1, -1, 0.5, -0.5, 2, -2]), bias: null },
  ],
  metadata: null,
};

describe('encodeModel / decodeModel', () => {
  it('round-trips every model exactly: layers, weights (as float32) and metadata', () => {
    fc.assert(
      fc.property(savedModelArbitrary(), (model) => {
        expect(decodeFiles(encoded(model))).toEqual(E.right(model));
      }),
      { numRuns: 150 },
    );
  });

  it('writes the TensorFlow.js layers-model layout with Keras names', () => {
    const json = JSON.parse(encoded(small).modelJson) as {
      format: string;
      modelTopology: { class_name: string; config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
      weightsManifest: unknown;
    };
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Sequential');
    const layers = json.modelTopology.config.layers;
    expect(layers.map((layer) => [layer.class_name, layer.config.name])).toEqual([
      ['Flatten', 'flatten'],
      ['Dense', 'dense'],
      ['Dropout', 'dropout'],
      ['Dense', 'dense_1'],
    ]);
    expect(layers[0].config.batch_input_shape).toEqual([null, 2, 2]);
    expect(layers.slice(1).every((layer) => !('batch_input_shape' in layer.config))).toBe(true);
    expect(json.weightsManifest).toEqual([
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'dense/kernel', shape: [4, 3], dtype: 'float32' },
          { name: 'dense/bias', shape: [3], dtype: 'float32' },
          { name: 'dense_1/kernel', shape: [3, 2], dtype: 'float32' },
        ],
      },
    ]);
  });

  it('stores the weights as little-endian float32 in manifest order', () => {
    const bytes = encoded(small).weightsBin;
    expect(bytes.byteLength).toBe((12 + 3 + 6) * 4);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getFloat32(0, true)).toBe(0);
    expect(view.getFloat32(4, true)).toBe(Math.fround(0.1));
    expect(view.getFloat32(12 * 4, true)).toBe(1);
    expect(view.getFloat32(15 * 4 + 4, true)).toBe(-1);
  });

  it('refuses to encode weight arrays that do not fit the layers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }).filter((n) => n !== 12), (length) => {
        const layers = small.layers.map((layer, i) => (i === 1 && layer.kind === 'dense' ? { ...layer, kernel: new Float32Array(length) } : layer));
        const result = encodeModel({ ...small, layers }, 'axon test');
        expect(E.isLeft(result) && result.left.kind).toBe('model');
        expect(E.isLeft(result) && renderModelFileError(result.left)).toContain(`has a kernel of ${length} values; its shape [4, 3] needs 12`);
      }),
    );
  });

  it('refuses to write a value it would refuse to read', () => {
    const withRate = (rate: number): SavedModel => ({ ...small, layers: small.layers.map((layer) => (layer.kind === 'dropout' ? { kind: 'dropout', rate } : layer)) });
    const refusal = (model: SavedModel): string => {
      const result = encodeModel(model, 'axon test');
      return E.isLeft(result) ? renderModelFileError(result.left) : 'written';
    };
    expect(refusal(withRate(1.5))).toBe(
      'cannot save the model: model.json would not load: modelTopology.config.layers[2].config.rate: expected a number from 0 up to (not including) 1, got 1.5',
    );
    expect(refusal({ ...small, metadata: [] as unknown as SavedModel['metadata'] })).toBe(
      'cannot save the model: model.json would not load: userDefinedMetadata: expected an object, got []',
    );
  });
});

describe('decodeModel refuses damaged files with a line naming the field', () => {
  const files = encoded(small);

  it.each([
    ['a layer size that is not a positive integer', set(['modelTopology', 'config', 'layers', 1, 'config', 'units'], 0), 'model.json: modelTopology.config.layers[1].config.units: expected a positive integer, got 0'],
    ['an unknown layer class', set(['modelTopology', 'config', 'layers', 2, 'class_name'], 'Conv2D'), 'model.json: modelTopology.config.layers[2].class_name: expected one of Dense, Dropout, Flatten, Activation, InputLayer, got "Conv2D"'],
    ['an unknown activation', set(['modelTopology', 'config', 'layers', 3, 'config', 'activation'], 'leaky'), 'modelTopology.config.layers[3].config.activation: expected one of linear, relu'],
    ['a functional model', set(['modelTopology', 'class_name'], 'Functional'), 'model.json: modelTopology.class_name: expected "Sequential", got "Functional"'],
    ['another format', set(['format'], 'graph-model'), 'model.json: format: expected "layers-model", got "graph-model"'],
    ['a missing manifest', remove(['weightsManifest']), 'model.json: weightsManifest: missing'],
    ['a non-float32 weight', set(['weightsManifest', 0, 'weights', 1, 'dtype'], 'int32'), 'model.json: weightsManifest[0].weights[1].dtype: expected "float32"'],
    ['quantized weights', set(['weightsManifest', 0, 'weights', 0, 'quantization'], { dtype: 'uint8', scale: 1, min: 0 }), 'weightsManifest[0].weights[0].quantization: expected no quantization'],
    ['a weights path outside the directory', set(['weightsManifest', 0, 'paths', 0], '../secret.bin'), 'model.json: weightsManifest[0].paths[0]: expected a file name beside model.json (no directories), got "../secret.bin"'],
    ['a kernel of the wrong shape', set(['weightsManifest', 0, 'weights', 0, 'shape'], [3, 4]), 'model.json: weightsManifest[0].weights[0].shape: expected [4, 3] (the kernel of layer "dense"), got [3,4]'],
    ['a bias of the wrong shape', set(['weightsManifest', 0, 'weights', 1, 'shape'], [2]), 'model.json: weightsManifest[0].weights[1].shape: expected [3] (the bias of layer "dense"), got [2]'],
    ['a renamed weight', set(['weightsManifest', 0, 'weights', 2, 'name'], 'dense_9/kernel'), 'model.json: weightsManifest[0].weights[2].name: expected the name of a weight that one of the layers has, got "dense_9/kernel"'],
    ['a missing weight', remove(['weightsManifest', 0, 'weights', 2]), 'model.json: weightsManifest: missing (expected an entry named "dense_1/kernel" (the kernel of layer "dense_1"))'],
    ['a bias the layer does not use', set(['modelTopology', 'config', 'layers', 1, 'config', 'use_bias'], false), 'model.json: weightsManifest[0].weights[1].name: expected the name of a weight that one of the layers has, got "dense/bias"'],
    ['no input shape', remove(['modelTopology', 'config', 'layers', 0, 'config', 'batch_input_shape']), 'model.json: modelTopology.config.layers[0].config.batch_input_shape: missing (expected the input shape on the first layer'],
    ['a variable input shape', set(['modelTopology', 'config', 'layers', 0, 'config', 'batch_input_shape'], [null, null, 2]), 'modelTopology.config.layers[0].config.batch_input_shape: expected a fixed sample shape'],
    ['duplicate layer names', set(['modelTopology', 'config', 'layers', 3, 'config', 'name'], 'dense'), 'model.json: modelTopology.config.layers[3].config.name: expected a layer name not used by an earlier layer, got "dense"'],
    ['channels-first flattening', set(['modelTopology', 'config', 'layers', 0, 'config', 'data_format'], 'channels_first'), 'modelTopology.config.layers[0].config.data_format: expected "channels_last", got "channels_first"'],
  ])('%s', (_, edit, message) => {
    expect(decodeError(editJson(files, edit))).toContain(message);
  });

  it('refuses a Flatten of one-axis samples, which TensorFlow.js cannot load', () => {
    const flatInput = editJson(files, set(['modelTopology', 'config', 'layers', 0, 'config', 'batch_input_shape'], [null, 4]));
    expect(decodeError(flatInput)).toBe(
      'model.json: modelTopology.config.layers[0]: expected a Flatten input of at least 2 axes per sample (TensorFlow.js refuses fewer), got [4]',
    );
    const result = encodeModel({ ...small, inputShape: [4] }, 'axon test');
    expect(E.isLeft(result) && renderModelFileError(result.left)).toBe(
      'cannot save the model: layer 0 ("flatten") needs a Flatten input of at least 2 axes per sample (TensorFlow.js refuses fewer), not [4]',
    );
  });

  it('refuses text that is not JSON', () => {
    expect(decodeError({ ...files, modelJson: '{"format": ' })).toMatch(/^model\.json: not valid JSON \(SyntaxError/);
  });

  it('refuses weights data of any length but the manifest total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }).filter((n) => n !== files.weightsBin.byteLength), (length) => {
        const weightsBin = new Uint8Array(length);
        weightsBin.set(files.weightsBin.subarray(0, length));
        expect(decodeError({ ...files, weightsBin })).toBe(`weights.bin: expected 84 bytes (the float32 weights model.json lists), found ${length}`);
      }),
    );
  });

  it('keeps metadata as the file has it, and refuses metadata that is not an object', () => {
    const metadata = { app: { classes: ['cat', 'dog'], version: 3 } };
    expect(E.map((model: SavedModel) => model.metadata)(decodeFiles(encoded({ ...small, metadata })))).toEqual(E.right(metadata));
    expect(decodeError(editJson(files, set(['userDefinedMetadata'], 'notes')))).toBe('model.json: userDefinedMetadata: expected an object, got "notes"');
  });
});

describe('decodeModel reads what other tools write', () => {
  it('accepts the Keras converter layout: model_config wrapper, InputLayer first, unknown fields, optimizer weights', () => {
    const keras = {
      format: 'layers-model',
      generatedBy: 'keras v2.15.0',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: {
        keras_version: '2.15.0',
        backend: 'tensorflow',
        model_config: {
          class_name: 'Sequential',
          config: {
            name: 'sequential',
            layers: [
              { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'dense_input' } },
              { class_name: 'Dense', config: { name: 'dense', trainable: true, dtype: 'float32', units: 2, activation: 'tanh', use_bias: true, kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, kernel_regularizer: null } },
            ],
          },
        },
        training_config: { loss: 'mse' },
      },
      weightsManifest: [
        { paths: ['group1-shard1of1.bin'], weights: [{ name: 'dense/kernel', shape: [3, 2], dtype: 'float32' }, { name: 'dense/bias', shape: [2], dtype: 'float32' }, { name: 'iter', shape: [], dtype: 'float32', group: 'optimizer' }] },
      ],
    };
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const data = new Uint8Array(new Float32Array(values).buffer);
    expect(pipe(parseModelJson(JSON.stringify(keras)), E.chain((json) => decodeModel(json, data)))).toEqual(
      E.right({
        inputShape: [3],
        layers: [{ kind: 'dense', units: 2, activation: 'tanh', kernel: new Float32Array([1, 2, 3, 4, 5, 6]), bias: new Float32Array([7, 8]) }],
        metadata: null,
      }),
    );
  });

  it('takes the defaults Keras takes for absent fields: linear activation, with bias', () => {
    fc.assert(
      fc.property(float32s(6), (values) => {
        const json = {
          modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 2, input_shape: [2] } }] } },
          weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'd/kernel', shape: [2, 2], dtype: 'float32' }, { name: 'd/bias', shape: [2], dtype: 'float32' }] }],
        };
        const data = new Uint8Array(values.buffer);
        const decoded = pipe(parseModelJson(JSON.stringify(json)), E.chain((parsed) => decodeModel(parsed, data)));
        expect(decoded).toEqual(E.right({ inputShape: [2], layers: [{ kind: 'dense', units: 2, activation: 'linear', kernel: values.slice(0, 4), bias: values.slice(4) }], metadata: null }));
      }),
      { numRuns: 20 },
    );
  });
});
