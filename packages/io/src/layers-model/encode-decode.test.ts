import type { LayerConfig } from '@axon/nn';
import { tensor, type TensorTree } from '@axon/tensor';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import type { PathSegment } from '../codec/decode-problem.js';
import { modelAsWritten, plainModel } from '../testing/plain-model.js';
import { savedModelArbitrary } from '../testing/saved-model-arbitrary.js';
import { decodeModel, parseModelJson } from './decode.js';
import { encodeModel, type ModelFiles } from './encode.js';
import { type ModelFileError, renderModelFileError } from './model-file-error.js';
import type { SavedModel } from './saved-model.js';

const decodeFiles = (files: ModelFiles): E.Either<ModelFileError, SavedModel> =>
  pipe(
    parseModelJson(files.modelJson),
    E.chain((json) => decodeModel(json, files.weightsBin)),
  );

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

const dense = (
  units: number,
  activation: 'relu' | 'softmax' | 'linear' | 'leakyRelu',
  useBias = true,
): LayerConfig => ({
  kind: 'dense',
  units,
  activation,
  useBias,
  kernelInitializer: { kind: 'glorotUniform' },
  biasInitializer: { kind: 'zeros' },
});

const small: SavedModel = {
  inputShape: [2, 2],
  config: {
    kind: 'sequential',
    layers: [{ kind: 'flatten' }, dense(3, 'relu'), { kind: 'dropout', rate: 0.25 }, dense(2, 'softmax', false)],
  },
  params: [
    {},
    {
      kernel: tensor(
        Float32Array.from({ length: 12 }, (_, i) => i / 10),
        { shape: [4, 3] },
      ),
      bias: tensor([1, 2, 3]),
    },
    {},
    {
      kernel: tensor([
        [1, -1],
        [0.5, -0.5],
        [2, -2],
      ]),
    },
  ],
  metadata: null,
};

describe('encodeModel / decodeModel', () => {
  it('round-trips every model: layers, weights (as float32) and metadata', () => {
    fc.assert(
      fc.property(savedModelArbitrary(), (model) => {
        const decoded = decodeFiles(encoded(model));
        if (E.isLeft(decoded)) throw new Error(renderModelFileError(decoded.left));
        expect(plainModel(decoded.right)).toEqual(plainModel(modelAsWritten(model)));
      }),
      { numRuns: 150 },
    );
  });

  it('writes the TensorFlow.js layers-model layout with Keras names', () => {
    const json = JSON.parse(encoded(small).modelJson) as {
      format: string;
      modelTopology: {
        class_name: string;
        config: { layers: { class_name: string; config: Record<string, unknown> }[] };
      };
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
    expect(layers[1].config).toMatchObject({
      units: 3,
      activation: 'relu',
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform' },
    });
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

  it('writes leaky ReLU as a LeakyReLU layer, after a linear Dense when a dense layer uses it, and reshape targets in full', () => {
    const model: SavedModel = {
      inputShape: [6],
      config: {
        kind: 'sequential',
        layers: [
          { kind: 'reshape', targetShape: [2, -1] },
          dense(2, 'leakyRelu'),
          { kind: 'activation', activation: 'leakyRelu' },
        ],
      },
      params: [
        {},
        {
          kernel: tensor([
            [1, 2],
            [3, 4],
            [5, 6],
          ]),
          bias: tensor([0, 1]),
        },
        {},
      ],
      metadata: null,
    };
    const json = JSON.parse(encoded(model).modelJson) as {
      modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    };
    expect(json.modelTopology.config.layers.map((layer) => [layer.class_name, layer.config.name])).toEqual([
      ['Reshape', 'reshape'],
      ['Dense', 'dense'],
      ['LeakyReLU', 'leaky_re_lu'],
      ['LeakyReLU', 'leaky_re_lu_1'],
    ]);
    expect(json.modelTopology.config.layers[0].config.target_shape).toEqual([2, 3]);
    expect(json.modelTopology.config.layers[1].config.activation).toBe('linear');
    expect(json.modelTopology.config.layers[2].config.alpha).toBe(0.2);
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

  const refusal = (model: SavedModel): string => {
    const result = encodeModel(model, 'axon test');
    return E.isLeft(result) ? renderModelFileError(result.left) : 'written';
  };
  const withParams = (index: number, params: TensorTree): SavedModel => ({
    ...small,
    params: small.params.map((p, i) => (i === index ? params : p)),
  });

  it('refuses to encode params that do not fit the layers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).filter((n) => n !== 4),
        (rows) => {
          expect(
            refusal(
              withParams(1, {
                kernel: tensor(new Float32Array(rows * 3), { shape: [rows, 3] }),
                bias: tensor([1, 2, 3]),
              }),
            ),
          ).toBe(`cannot save the model: layer "dense" has a kernel of shape [${rows}, 3]; it needs [4, 3]`);
        },
      ),
    );
    expect(refusal(withParams(1, { kernel: tensor(new Float32Array(12), { shape: [4, 3] }) }))).toBe(
      'cannot save the model: layer "dense" has no bias in its params',
    );
    expect(refusal({ ...small, params: small.params.slice(1) })).toBe(
      'cannot save the model: the model has 4 layers but params for 3',
    );
  });

  it('refuses to encode weights that are NaN or infinite, naming the tensor and the element', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 11 }), fc.constantFrom(Number.NaN, Infinity, -Infinity), (index, bad) => {
        const kernel = Float32Array.from({ length: 12 }, (_, i) => (i === index ? bad : i));
        expect(refusal(withParams(1, { kernel: tensor(kernel, { shape: [4, 3] }), bias: tensor([1, 2, 3]) }))).toBe(
          `cannot save the model: dense/kernel holds ${bad} at index ${index} (element [${Math.floor(index / 3)}, ${index % 3}] of [4, 3])`,
        );
      }),
    );
  });

  it('refuses to write a value it would refuse to read', () => {
    const withRate = (rate: number): SavedModel => ({
      ...small,
      config: {
        kind: 'sequential',
        layers: small.config.layers.map((layer) => (layer.kind === 'dropout' ? { kind: 'dropout', rate } : layer)),
      },
    });
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
  const layer = (index: number, ...rest: PathSegment[]): PathSegment[] => [
    'modelTopology',
    'config',
    'layers',
    index,
    ...rest,
  ];

  it.each([
    [
      'a layer size that is not a positive integer',
      set(layer(1, 'config', 'units'), 0),
      'model.json: modelTopology.config.layers[1].config.units: expected a positive integer, got 0',
    ],
    [
      'an unknown layer class, naming the classes axon reads',
      set(layer(2, 'class_name'), 'Conv3D'),
      'model.json: modelTopology.config.layers[2].class_name: expected one of Activation, AveragePooling2D, AvgPool2D, BatchNormalization, Conv2D, Convolution2D, Dense, Dropout, ELU, Flatten, GlobalAveragePooling2D, GlobalAvgPool2D, InputLayer, LeakyReLU, MaxPool2D, MaxPooling2D, ReLU, Reshape, Sequential, Softmax, got "Conv3D"',
    ],
    [
      'an activation axon does not implement',
      set(layer(3, 'config', 'activation'), 'selu'),
      'modelTopology.config.layers[3].config.activation: expected one of linear, relu, sigmoid, tanh, softmax, elu, gelu, softplus (the Keras activations axon implements), got "selu"',
    ],
    [
      'a leaky ReLU of another slope',
      set(layer(2), { class_name: 'LeakyReLU', config: { name: 'leaky', alpha: 0.3 } }),
      "model.json: modelTopology.config.layers[2].config.alpha: expected 0.2 (axon's leakyRelu slope; the Keras default is 0.3), got 0.3",
    ],
    [
      'a leaky ReLU with the Keras default slope',
      set(layer(2), { class_name: 'LeakyReLU', config: { name: 'leaky' } }),
      'config.alpha: expected 0.2',
    ],
    [
      'a capped ReLU',
      set(layer(2), { class_name: 'ReLU', config: { name: 'relu6', max_value: 6 } }),
      'model.json: modelTopology.config.layers[2].config.max_value: expected null (axon has no capped ReLU), got 6',
    ],
    [
      'a layer without a name',
      remove(layer(1, 'config', 'name')),
      'model.json: modelTopology.config.layers[1].config.name: missing (expected a string)',
    ],
    [
      'a functional model',
      set(['modelTopology', 'class_name'], 'Functional'),
      'model.json: modelTopology.class_name: expected "Sequential", got "Functional"',
    ],
    [
      'another format',
      set(['format'], 'graph-model'),
      'model.json: format: expected "layers-model", got "graph-model"',
    ],
    ['a missing manifest', remove(['weightsManifest']), 'model.json: weightsManifest: missing'],
    [
      'a non-float32 weight',
      set(['weightsManifest', 0, 'weights', 1, 'dtype'], 'int32'),
      'model.json: weightsManifest[0].weights[1].dtype: expected "float32"',
    ],
    [
      'quantized weights',
      set(['weightsManifest', 0, 'weights', 0, 'quantization'], { dtype: 'uint8', scale: 1, min: 0 }),
      'weightsManifest[0].weights[0].quantization: expected no quantization',
    ],
    [
      'a weights path outside the directory',
      set(['weightsManifest', 0, 'paths', 0], '../secret.bin'),
      'model.json: weightsManifest[0].paths[0]: expected a file name beside model.json (no directories), got "../secret.bin"',
    ],
    [
      'a kernel of the wrong shape',
      set(['weightsManifest', 0, 'weights', 0, 'shape'], [3, 4]),
      'model.json: weightsManifest[0].weights[0].shape: expected [4, 3] (the kernel of layer "dense"), got [3,4]',
    ],
    [
      'a bias of the wrong shape',
      set(['weightsManifest', 0, 'weights', 1, 'shape'], [2]),
      'model.json: weightsManifest[0].weights[1].shape: expected [3] (the bias of layer "dense"), got [2]',
    ],
    [
      'a renamed weight',
      set(['weightsManifest', 0, 'weights', 2, 'name'], 'dense_9/kernel'),
      'model.json: weightsManifest[0].weights[2].name: expected the name of a weight that one of the layers has, got "dense_9/kernel"',
    ],
    [
      'a weight listed twice',
      set(['weightsManifest', 0, 'weights', 1, 'name'], 'dense/kernel'),
      'model.json: weightsManifest[0].weights[1].name: expected a weight name not listed before, got "dense/kernel"',
    ],
    [
      'a missing weight',
      remove(['weightsManifest', 0, 'weights', 2]),
      'model.json: weightsManifest: missing (expected an entry named "dense_1/kernel" (the kernel of layer "dense_1"))',
    ],
    [
      'a bias the layer does not use',
      set(layer(1, 'config', 'use_bias'), false),
      'model.json: weightsManifest[0].weights[1].name: expected the name of a weight that one of the layers has, got "dense/bias"',
    ],
    [
      'no input shape',
      remove(layer(0, 'config', 'batch_input_shape')),
      'model.json: modelTopology.config.layers[0].config.batch_input_shape: missing (expected the input shape on the first layer',
    ],
    [
      'a variable input shape',
      set(layer(0, 'config', 'batch_input_shape'), [null, null, 2]),
      'modelTopology.config.layers[0].config.batch_input_shape: expected a fixed sample shape',
    ],
    [
      'duplicate layer names',
      set(layer(3, 'config', 'name'), 'dense'),
      'model.json: modelTopology.config.layers[3].config.name: expected a layer name not used by an earlier layer, got "dense"',
    ],
    [
      'channels-first flattening',
      set(layer(0, 'config', 'data_format'), 'channels_first'),
      'modelTopology.config.layers[0].config.data_format: expected "channels_last", got "channels_first"',
    ],
    [
      'a reshape that does not fit',
      set(layer(2), { class_name: 'Reshape', config: { name: 'r', target_shape: [5] } }),
      'model.json: modelTopology.config.layers[2]: expected a target shape with as many values as [3] (3) and at most one -1, not [5], got [3]',
    ],
    [
      'an InputLayer after the first layer',
      set(layer(2, 'class_name'), 'InputLayer'),
      'model.json: modelTopology.config.layers[2].class_name: expected a layer class other than InputLayer after the first layer, got "InputLayer"',
    ],
    [
      'userDefinedMetadata that is not an object',
      set(['userDefinedMetadata'], 'notes'),
      'model.json: userDefinedMetadata: expected an object, got "notes"',
    ],
  ])('%s', (_, edit, message) => {
    expect(decodeError(editJson(files, edit))).toContain(message);
  });

  it('refuses a Flatten of one-axis samples, which TensorFlow.js cannot load, when reading and when writing', () => {
    const flatInput = editJson(files, set(layer(0, 'config', 'batch_input_shape'), [null, 4]));
    expect(decodeError(flatInput)).toBe(
      'model.json: modelTopology.config.layers[0]: expected a Flatten input of at least 2 axes per sample (TensorFlow.js refuses fewer), got [4]',
    );
    const result = encodeModel({ ...small, inputShape: [4] }, 'axon test');
    expect(E.isLeft(result) && renderModelFileError(result.left)).toBe(
      'cannot save the model: layer "flatten" needs a Flatten input of at least 2 axes per sample (TensorFlow.js refuses fewer), not [4]',
    );
  });

  it('refuses text that is not JSON', () => {
    expect(decodeError({ ...files, modelJson: '{"format": ' })).toMatch(/^model\.json: not valid JSON \(SyntaxError/);
  });

  it('refuses JSON nested deeper than any model, before parsing it, naming where', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(decodeError({ ...files, modelJson: deep })).toBe(
      'model.json: not valid JSON (nested deeper than 64 levels at character 64)',
    );
    const deepMetadata = editJson(
      files,
      set(['userDefinedMetadata'], { notes: JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`) as unknown }),
    );
    expect(decodeError(deepMetadata)).toMatch(
      /^model\.json: not valid JSON \(nested deeper than 64 levels at character \d+\)$/,
    );
  });

  it('refuses weights data of any length but the manifest total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }).filter((n) => n !== files.weightsBin.byteLength),
        (length) => {
          const weightsBin = new Uint8Array(length);
          weightsBin.set(files.weightsBin.subarray(0, length));
          expect(decodeError({ ...files, weightsBin })).toBe(
            `weights.bin: expected 84 bytes (the float32 weights model.json lists), found ${length}`,
          );
        },
      ),
    );
  });

  it('refuses weights that are NaN or infinite, naming the tensor and the first bad element', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.constantFrom(Number.NaN, Infinity, -Infinity), (index, bad) => {
        const weightsBin = files.weightsBin.slice();
        new DataView(weightsBin.buffer).setFloat32(index * 4, bad, true);
        const [name, shape, start] =
          index < 12
            ? ['dense/kernel', [4, 3], 0]
            : index < 15
              ? ['dense/bias', [3], 12]
              : ['dense_1/kernel', [3, 2], 15];
        const at = index - (start as number);
        const element =
          (shape as number[]).length === 1
            ? [at]
            : [Math.floor(at / (shape as number[])[1]), at % (shape as number[])[1]];
        expect(decodeError({ ...files, weightsBin })).toBe(
          `weights.bin: ${name} holds ${bad} at index ${at} (element [${element.join(', ')}] of [${(shape as number[]).join(', ')}]); weights must be finite`,
        );
      }),
    );
  });
});

/** A model.json for `layers` (Keras JSON) and manifest `weights`, with float32 values 1, 2, 3, … */
const keras = (
  topology: unknown,
  weights: readonly { name: string; shape: number[]; group?: string }[],
): ModelFiles => {
  const count = weights.reduce((total, weight) => total + weight.shape.reduce((a, b) => a * b, 1), 0);
  return {
    modelJson: JSON.stringify({
      format: 'layers-model',
      modelTopology: topology,
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: weights.map((w) => ({ ...w, dtype: 'float32' })) }],
    }),
    weightsBin: new Uint8Array(Float32Array.from({ length: count }, (_, i) => i + 1).buffer),
  };
};
const decodedOrThrow = (files: ModelFiles): SavedModel => {
  const decoded = decodeFiles(files);
  if (E.isLeft(decoded)) throw new Error(renderModelFileError(decoded.left));
  return decoded.right;
};

describe('decodeModel reads what other tools write', () => {
  it('reads the Keras 2 converter layout: model_config wrapper, InputLayer first, unused fields, optimizer weights, TF 2.2 cell names', () => {
    const model = decodedOrThrow(
      keras(
        {
          keras_version: '2.15.0',
          backend: 'tensorflow',
          model_config: {
            class_name: 'Sequential',
            config: {
              name: 'sequential',
              layers: [
                {
                  class_name: 'InputLayer',
                  config: {
                    batch_input_shape: [null, 3],
                    dtype: 'float32',
                    sparse: false,
                    ragged: false,
                    name: 'dense_input',
                  },
                },
                {
                  class_name: 'Dense',
                  config: {
                    name: 'my_dense',
                    trainable: true,
                    dtype: 'float32',
                    units: 2,
                    activation: 'tanh',
                    use_bias: true,
                    kernel_initializer: { class_name: 'HeNormal', config: { seed: 7 } },
                    bias_initializer: { class_name: 'RandomNormal', config: { mean: 0, stddev: 1 } },
                    kernel_regularizer: { class_name: 'L2', config: { l2: 0.01 } },
                    kernel_constraint: null,
                  },
                },
              ],
            },
          },
          training_config: { loss: 'mse' },
        },
        [
          { name: 'my_dense/cell/kernel', shape: [3, 2] },
          { name: 'my_dense/bias', shape: [2] },
          { name: 'iter', shape: [], group: 'optimizer' },
        ],
      ),
    );
    expect(model.inputShape).toEqual([3]);
    expect(model.config.layers).toEqual([
      {
        kind: 'dense',
        units: 2,
        activation: 'tanh',
        useBias: true,
        kernelInitializer: { kind: 'heNormal' },
        biasInitializer: { kind: 'zeros' },
      },
    ]);
    expect(plainModel(model).params).toEqual([
      { kernel: { shape: [3, 2], values: [1, 2, 3, 4, 5, 6] }, bias: { shape: [2], values: [7, 8] } },
    ]);
  });

  it('reads the Keras 3 layout: batch_shape, dtype policies, module fields, weights named by index', () => {
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    const model = decodedOrThrow(
      keras(
        {
          module: 'keras',
          class_name: 'Sequential',
          config: {
            name: 'sequential',
            trainable: true,
            dtype: policy,
            layers: [
              {
                module: 'keras.layers',
                class_name: 'InputLayer',
                config: { batch_shape: [null, 28, 28], dtype: 'float32', sparse: false, name: 'input_layer' },
                registered_name: null,
              },
              {
                module: 'keras.layers',
                class_name: 'Flatten',
                config: { name: 'flatten', trainable: true, dtype: policy, data_format: 'channels_last' },
                registered_name: null,
                build_config: { input_shape: [null, 28, 28] },
              },
              {
                module: 'keras.layers',
                class_name: 'Dense',
                config: {
                  name: 'dense',
                  trainable: true,
                  dtype: policy,
                  units: 2,
                  activation: 'softmax',
                  use_bias: true,
                  kernel_initializer: {
                    module: 'keras.initializers',
                    class_name: 'GlorotUniform',
                    config: { seed: null },
                    registered_name: null,
                  },
                  bias_initializer: {
                    module: 'keras.initializers',
                    class_name: 'Zeros',
                    config: {},
                    registered_name: null,
                  },
                  kernel_regularizer: null,
                },
                registered_name: null,
                build_config: { input_shape: [null, 784] },
              },
              {
                module: 'keras.layers',
                class_name: 'LeakyReLU',
                config: { name: 'leaky_re_lu', trainable: true, dtype: policy, negative_slope: 0.2 },
                registered_name: null,
              },
            ],
          },
          registered_name: null,
        },
        [
          { name: 'dense/0', shape: [784, 2] },
          { name: 'dense/1', shape: [2] },
        ],
      ),
    );
    expect(model.inputShape).toEqual([28, 28]);
    expect(model.config.layers.map((layer) => layer.kind)).toEqual(['flatten', 'dense', 'activation']);
    expect(model.config.layers[2]).toEqual({ kind: 'activation', activation: 'leakyRelu' });
    expect(plainModel(model).params).toMatchObject([{}, { bias: { shape: [2], values: [1569, 1570] } }, {}]);
  });

  it("reads Keras's activation layers as axon's activations", () => {
    const layers = [
      { class_name: 'ReLU', config: { name: 'a', max_value: null, negative_slope: 0, threshold: 0 } },
      { class_name: 'ELU', config: { name: 'b', alpha: 1 } },
      { class_name: 'Softmax', config: { name: 'c', axis: -1 } },
      { class_name: 'Activation', config: { name: 'd', activation: null } },
    ];
    const model = decodedOrThrow(
      keras(
        {
          class_name: 'Sequential',
          config: {
            layers: [
              { ...layers[0], config: { ...layers[0].config, batch_input_shape: [null, 2] } },
              ...layers.slice(1),
            ],
          },
        },
        [],
      ),
    );
    expect(model.config.layers).toEqual(
      ['relu', 'elu', 'softmax', 'linear'].map((activation) => ({ kind: 'activation', activation })),
    );
  });

  it('takes the defaults Keras takes for absent fields: linear activation, with bias', () => {
    const model = decodedOrThrow(
      keras(
        {
          class_name: 'Sequential',
          config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 2, input_shape: [2] } }] },
        },
        [
          { name: 'd/kernel', shape: [2, 2] },
          { name: 'd/bias', shape: [2] },
        ],
      ),
    );
    expect(model.config.layers).toEqual([dense(2, 'linear')]);
  });

  it('reads a nested Sequential, its weights named by its inner layers', () => {
    const model = decodedOrThrow(
      keras(
        {
          class_name: 'Sequential',
          config: {
            layers: [
              { class_name: 'Reshape', config: { name: 'r', target_shape: [2, null], batch_input_shape: [null, 4] } },
              {
                class_name: 'Sequential',
                config: {
                  name: 'inner',
                  layers: [
                    { class_name: 'Flatten', config: { name: 'f' } },
                    { class_name: 'Dense', config: { name: 'd', units: 1, use_bias: false } },
                  ],
                },
              },
            ],
          },
        },
        [{ name: 'd/kernel', shape: [4, 1] }],
      ),
    );
    expect(model.config.layers).toEqual([
      { kind: 'reshape', targetShape: [2, -1] },
      { kind: 'sequential', layers: [{ kind: 'flatten' }, { ...dense(1, 'linear', false) }] },
    ]);
    expect(plainModel(model).params).toEqual([{}, [{}, { kernel: { shape: [4, 1], values: [1, 2, 3, 4] } }]]);
  });
});

describe('decodeModel on random bytes', () => {
  const files = encoded(small);
  const oneLine = (result: E.Either<ModelFileError, SavedModel>): void => {
    if (E.isRight(result)) return;
    const line = renderModelFileError(result.left);
    expect(line).not.toMatch(/\n/);
    // model.json, or a weights file as the (possibly damaged) manifest names it.
    expect(line).toMatch(/^(model\.json|.*\S.*\.bin|[^:]+): /);
  };
  const decodeText = (modelJson: string, weightsBin: Uint8Array): E.Either<ModelFileError, SavedModel> =>
    pipe(
      parseModelJson(modelJson),
      E.chain((json) => decodeModel(json, weightsBin)),
    );

  it('never throws on random text or bytes: always a model or one line naming the file', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.uint8Array().map((bytes) => new TextDecoder().decode(bytes)),
          fc.json(),
        ),
        fc.uint8Array({ maxLength: 100 }),
        (text, bytes) => {
          const result = decodeText(text, bytes);
          expect(E.isLeft(result)).toBe(true);
          oneLine(result);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on a real model.json with bytes changed, cut short or spliced, nor on damaged weights', () => {
    const text = new TextEncoder().encode(files.modelJson);
    const damaged = fc.oneof(
      fc
        .array(fc.tuple(fc.nat(text.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
        .map((changes) => {
          const copy = text.slice();
          for (const [at, value] of changes) copy[at] = value;
          return copy;
        }),
      fc.nat(text.length).map((length) => text.slice(0, length)),
      fc
        .tuple(fc.nat(text.length), fc.uint8Array({ maxLength: 40 }))
        .map(([at, insert]) => Uint8Array.from([...text.slice(0, at), ...insert, ...text.slice(at)])),
    );
    fc.assert(
      fc.property(
        damaged,
        fc.oneof(fc.constant(files.weightsBin), fc.uint8Array({ maxLength: 120 })),
        (bytes, weightsBin) => {
          oneLine(decodeText(new TextDecoder().decode(bytes), weightsBin));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
