// Convolutional models in files: Conv2D, MaxPooling2D, AveragePooling2D,
// GlobalAveragePooling2D and BatchNormalization (its moving statistics as
// non-trainable weights, axon's layer state). axon's files round-trip and load in
// TensorFlow.js, TensorFlow.js's files load in axon, ONNX Runtime runs axon's ONNX
// export, and all predict alike.
import { layers, type LayerConfig } from '@axon/nn';
import {
  conv2dGeometry,
  key,
  pool2dGeometry,
  tensor,
  treeMap,
  type Shape,
  type Tensor,
  type TensorTree,
} from '@axon/tensor';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeModel,
  encodeModel,
  parseModelJson,
  renderModelFileError,
  toOnnx,
  type ModelFiles,
  type SavedModel,
} from '../src/index.js';
import { plainModel } from '../src/testing/index.js';
import { tfjsLoad, tfjsPredict, tfjsSave } from './tfjs.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const expectWithin = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `element ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(
      tolerance * Math.max(1, Math.abs(expected[i])),
    );
  }
};

const decodeFiles = (files: ModelFiles): E.Either<string, SavedModel> =>
  pipe(
    parseModelJson(files.modelJson),
    E.chain((json) => decodeModel(json, files.weightsBin)),
    E.mapLeft(renderModelFileError),
  );

const decode = (files: ModelFiles): SavedModel => {
  const decoded = decodeFiles(files);
  if (E.isLeft(decoded)) throw new Error(decoded.left);
  return decoded.right;
};

const encode = (model: SavedModel): ModelFiles => {
  const files = encodeModel(model, 'axon test');
  if (E.isLeft(files)) throw new Error(renderModelFileError(files.left));
  return files.right;
};

/** Deterministic values in [-1, 1]. */
const wave = (length: number, seed: number): Float32Array =>
  Float32Array.from({ length }, (_, i) => Math.sin(seed * 7919 + i * 12.9898));

/** axon's output for a batch of `count` samples, from the saved configs, params and state. */
const axonPredict = (model: SavedModel, batch: Float32Array, count: number): Float32Array =>
  layers.applyLayer(
    layers.fromConfig(model.config),
    model.params,
    tensor(batch, { shape: [count, ...model.inputShape] }),
    layers.inference,
    model.state,
  ).y.values as Float32Array;

/** A layer of a convnet before its input shape is known. */
type Plan =
  | {
      readonly type: 'conv2d';
      readonly filters: number;
      readonly kernel: number;
      readonly strides: number;
      readonly dilation: number;
      readonly padding: 'valid' | 'same';
      readonly activation: 'linear' | 'relu' | 'tanh' | 'leakyRelu';
      readonly useBias: boolean;
    }
  | {
      readonly type: 'maxPooling2d' | 'averagePooling2d';
      readonly pool: number;
      readonly strides: number;
      readonly padding: 'valid' | 'same';
    }
  | {
      readonly type: 'batchNormalization';
      readonly center: boolean;
      readonly scale: boolean;
      readonly epsilon: number;
    };

const planArb: fc.Arbitrary<Plan> = fc.oneof(
  fc
    .record({
      type: fc.constant('conv2d' as const),
      filters: fc.integer({ min: 1, max: 3 }),
      kernel: fc.integer({ min: 1, max: 3 }),
      strides: fc.integer({ min: 1, max: 2 }),
      dilation: fc.integer({ min: 1, max: 2 }),
      padding: fc.constantFrom('valid' as const, 'same' as const),
      activation: fc.constantFrom('linear' as const, 'relu' as const, 'tanh' as const, 'leakyRelu' as const),
      useBias: fc.boolean(),
    })
    .map((p) => (p.strides > 1 ? { ...p, dilation: 1 } : p)),
  fc.record({
    type: fc.constantFrom('maxPooling2d' as const, 'averagePooling2d' as const),
    pool: fc.integer({ min: 1, max: 3 }),
    strides: fc.integer({ min: 1, max: 3 }),
    padding: fc.constantFrom('valid' as const, 'same' as const),
  }),
  fc.record({
    type: fc.constant('batchNormalization' as const),
    center: fc.boolean(),
    scale: fc.boolean(),
    epsilon: fc.constantFrom(1e-3, 1e-5),
  }),
);

/** A convnet case: image samples, the planned layers, and a head (a global pool or a flatten, then a softmax dense layer). */
interface ConvnetCase {
  readonly inputShape: Shape;
  readonly plans: readonly Plan[];
  readonly globalPool: boolean;
  readonly units: number;
  readonly seed: number;
}

/** The image shape after a planned layer, or undefined when the layer does not fit. */
const after = (plan: Plan, shape: Shape): Shape | undefined => {
  if (plan.type === 'batchNormalization') return shape;
  try {
    const g =
      plan.type === 'conv2d'
        ? conv2dGeometry([1, ...shape], [plan.kernel, plan.kernel, shape[2], plan.filters], {
            strides: plan.strides,
            dilation: plan.dilation,
            padding: plan.padding,
          })
        : pool2dGeometry('pool', [1, ...shape], plan.pool, { strides: plan.strides, padding: plan.padding });
    return [g.outHeight, g.outWidth, g.outChannels];
  } catch {
    return undefined;
  }
};

const convnetArb: fc.Arbitrary<ConvnetCase> = fc
  .record({
    inputShape: fc.tuple(
      fc.integer({ min: 3, max: 8 }),
      fc.integer({ min: 3, max: 8 }),
      fc.integer({ min: 1, max: 3 }),
    ),
    plans: fc.array(planArb, { minLength: 1, maxLength: 4 }),
    globalPool: fc.boolean(),
    units: fc.integer({ min: 1, max: 4 }),
    seed: fc.nat(1000),
  })
  .filter(
    (c) =>
      c.plans.reduce<Shape | undefined>(
        (shape, plan) => (shape === undefined ? undefined : after(plan, shape)),
        c.inputShape,
      ) !== undefined,
  );

/** axon's config of a planned layer. */
const axonLayer = (plan: Plan): LayerConfig => {
  switch (plan.type) {
    case 'conv2d':
      return layers.conv2d(plan.filters, plan.kernel, {
        strides: plan.strides,
        dilation: plan.dilation,
        padding: plan.padding,
        activation: plan.activation,
        useBias: plan.useBias,
      }).config;
    case 'maxPooling2d':
      return layers.maxPooling2d(plan.pool, { strides: plan.strides, padding: plan.padding }).config;
    case 'averagePooling2d':
      return layers.averagePooling2d(plan.pool, { strides: plan.strides, padding: plan.padding }).config;
    case 'batchNormalization':
      return layers.batchNormalization({ center: plan.center, scale: plan.scale, epsilon: plan.epsilon }).config;
  }
};

/** The case as an axon model, its params and state spread over [-1, 1] (moving variances over [0.5, 1.5]). */
const axonModel = (c: ConvnetCase): SavedModel => {
  const config: layers.SequentialConfig = {
    kind: 'sequential',
    layers: [
      ...c.plans.map(axonLayer),
      c.globalPool ? { kind: 'globalAveragePooling2d' } : { kind: 'flatten' },
      layers.dense(c.units, { activation: 'softmax' }).config,
    ],
  };
  const { params, state } = layers.initLayer(layers.fromConfig(config), key(c.seed), c.inputShape);
  let count = 0;
  const spread = (x: Tensor, path: string): Tensor => {
    const values = wave(x.size, c.seed + count++);
    return tensor(path.endsWith('movingVariance') ? values.map((v) => 1 + v / 2) : values, { shape: x.shape });
  };
  return {
    inputShape: c.inputShape,
    config,
    params: treeMap(params as readonly TensorTree[], spread),
    state: treeMap(state as readonly TensorTree[], spread),
    metadata: null,
  };
};

/** The model as a file gives it back: a convolution with leaky ReLU becomes a linear one and a LeakyReLU layer, with no params or state. */
const asWritten = (model: SavedModel): SavedModel => {
  const configs: LayerConfig[] = [];
  const params: TensorTree[] = [];
  const state: TensorTree[] = [];
  model.config.layers.forEach((layer, i) => {
    const split = layer.kind === 'conv2d' && layer.activation === 'leakyRelu';
    configs.push(
      split ? { ...layer, activation: 'linear' } : layer,
      ...(split ? [{ kind: 'activation' as const, activation: 'leakyRelu' as const }] : []),
    );
    params.push(model.params[i], ...(split ? [{}] : []));
    state.push(model.state?.[i] ?? {}, ...(split ? [{}] : []));
  });
  const stateful = configs.some((layer) => layer.kind === 'batchNormalization');
  return {
    ...model,
    config: { kind: 'sequential', layers: configs },
    params,
    ...(stateful ? { state } : { state: undefined }),
  };
};

/** A plain copy of a model's state, for toEqual. */
const plainState = (model: SavedModel): unknown =>
  model.state?.map((entry) =>
    entry instanceof Object
      ? Object.fromEntries(Object.entries(entry).map(([k, t]) => [k, Array.from((t as Tensor).values)]))
      : entry,
  );

describe('convolutional model files', () => {
  it('round-trip every convnet: layers, weights and batch-norm statistics, and predictions', () => {
    fc.assert(
      fc.property(convnetArb, (c) => {
        const model = axonModel(c);
        const decoded = decode(encode(model));
        const written = asWritten(model);
        expect(plainModel({ ...decoded, state: undefined })).toEqual(plainModel({ ...written, state: undefined }));
        expect(plainState(decoded)).toEqual(plainState(written));
        const batch = wave(2 * c.inputShape.reduce((a, b) => a * b, 1), c.seed + 1);
        expectWithin(axonPredict(decoded, batch, 2), axonPredict(model, batch, 2), 1e-6);
      }),
      { numRuns: 60 },
    );
  });

  it('write Keras’s classes, names and weight order: trainable weights first, batch norm’s moving statistics after', () => {
    const c: ConvnetCase = { inputShape: [28, 28, 1], plans: [], globalPool: false, units: 10, seed: 1 };
    const model = axonModel(c);
    const config: layers.SequentialConfig = {
      kind: 'sequential',
      layers: [
        layers.conv2d(32, 3, { activation: 'relu' }).config,
        layers.batchNormalization().config,
        layers.maxPooling2d(2).config,
        layers.conv2d(64, 3, { activation: 'relu', padding: 'same', strides: 2 }).config,
        layers.averagePooling2d(2, { padding: 'same' }).config,
        layers.globalAveragePooling2d().config,
        layers.dense(10, { activation: 'softmax' }).config,
      ],
    };
    const { params, state } = layers.initLayer(layers.fromConfig(config), key(0), [28, 28, 1]);
    const json = JSON.parse(
      encode({ ...model, config, params: params as readonly TensorTree[], state: state as readonly TensorTree[] })
        .modelJson,
    ) as {
      modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
      weightsManifest: { weights: { name: string; shape: number[] }[] }[];
    };
    const written = json.modelTopology.config.layers;
    expect(written.map((layer) => [layer.class_name, layer.config.name])).toEqual([
      ['Conv2D', 'conv2d'],
      ['BatchNormalization', 'batch_normalization'],
      ['MaxPooling2D', 'max_pooling2d'],
      ['Conv2D', 'conv2d_1'],
      ['AveragePooling2D', 'average_pooling2d'],
      ['GlobalAveragePooling2D', 'global_average_pooling2d'],
      ['Dense', 'dense'],
    ]);
    expect(written[3].config).toMatchObject({
      filters: 64,
      kernel_size: [3, 3],
      strides: [2, 2],
      padding: 'same',
      dilation_rate: [1, 1],
      data_format: 'channels_last',
      activation: 'relu',
      use_bias: true,
    });
    expect(written[1].config).toMatchObject({ axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true });
    expect(written[2].config).toMatchObject({ pool_size: [2, 2], strides: [2, 2], padding: 'valid' });
    expect(json.weightsManifest[0].weights.map((w) => [w.name, w.shape])).toEqual([
      ['conv2d/kernel', [3, 3, 1, 32]],
      ['conv2d/bias', [32]],
      ['batch_normalization/gamma', [32]],
      ['batch_normalization/beta', [32]],
      ['batch_normalization/moving_mean', [32]],
      ['batch_normalization/moving_variance', [32]],
      ['conv2d_1/kernel', [3, 3, 32, 64]],
      ['conv2d_1/bias', [64]],
      ['dense/kernel', [64, 10]],
      ['dense/bias', [10]],
    ]);
  });

  it('read Keras’s other spellings: one number for a pair, strides null, class aliases, axis as a list', () => {
    const files = encode(
      axonModel({
        inputShape: [6, 6, 2],
        plans: [
          {
            type: 'conv2d',
            filters: 2,
            kernel: 3,
            strides: 1,
            dilation: 1,
            padding: 'same',
            activation: 'relu',
            useBias: true,
          },
          { type: 'maxPooling2d', pool: 2, strides: 2, padding: 'valid' },
        ],
        globalPool: true,
        units: 2,
        seed: 4,
      }),
    );
    const json = JSON.parse(files.modelJson) as {
      modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    };
    const [conv, pool] = json.modelTopology.config.layers;
    Object.assign(conv.config, { kernel_size: 3, strides: 1, dilation_rate: 1 });
    Object.assign(pool, { class_name: 'MaxPool2D' });
    Object.assign(pool.config, { pool_size: 2, strides: null });
    const decoded = decode({ ...files, modelJson: JSON.stringify(json) });
    expect(decoded.config.layers.slice(0, 2)).toEqual(decode(files).config.layers.slice(0, 2));
    conv.config.data_format = 'channels_first';
    expect(decodeFiles({ ...files, modelJson: JSON.stringify(json) })).toEqual(
      E.left(
        expect.stringMatching(
          /layers\[0\]\.config\.data_format: expected "channels_last" \(axon computes NHWC images\), got "channels_first"/,
        ),
      ),
    );
  });

  it('refuse what axon cannot compute, naming the field, and never write a convolution TensorFlow.js cannot run', () => {
    const files = encode(
      axonModel({
        inputShape: [6, 6, 2],
        plans: [{ type: 'batchNormalization', center: true, scale: true, epsilon: 1e-3 }],
        globalPool: true,
        units: 2,
        seed: 3,
      }),
    );
    const edited = (edit: (layer: Record<string, unknown>) => void): ModelFiles => {
      const json = JSON.parse(files.modelJson) as {
        modelTopology: { config: { layers: { config: Record<string, unknown> }[] } };
      };
      edit(json.modelTopology.config.layers[0].config);
      return { ...files, modelJson: JSON.stringify(json) };
    };
    const refusal = (f: ModelFiles): string =>
      pipe(
        decodeFiles(f),
        E.match(
          (error) => error,
          () => 'decoded',
        ),
      );
    expect(refusal(edited((layer) => (layer.axis = 1)))).toMatch(
      /axis.*-1 or 3 \(axon normalizes over the last axis\)/,
    );
    expect(refusal(edited((layer) => (layer.axis = [3])))).toBe('decoded');
    const dilatedAndStrided: SavedModel = {
      inputShape: [7, 7, 1],
      config: {
        kind: 'sequential',
        layers: [layers.conv2d(1, 3, { strides: 2, dilation: 2, padding: 'same' }).config],
      },
      params: [{ kernel: tensor(new Float32Array(9), { shape: [3, 3, 1, 1] }), bias: tensor([0]) }],
      metadata: null,
    };
    const written = encodeModel(dilatedAndStrided, 'axon test');
    expect(E.isLeft(written) && renderModelFileError(written.left)).toMatch(/strides of 1 where it is dilated/);
  });
});

/** A TensorFlow.js model of the case, weights from `wave` (moving variances positive), its input shape on its first layer. */
const tfjsModel = (c: ConvnetCase): tf.Sequential => {
  const built: tf.layers.Layer[] = c.plans.map((plan, i) => {
    const input = i === 0 ? { inputShape: [...c.inputShape] } : {};
    switch (plan.type) {
      case 'conv2d':
        return tf.layers.conv2d({
          ...input,
          filters: plan.filters,
          kernelSize: plan.kernel,
          strides: plan.strides,
          dilationRate: plan.dilation,
          padding: plan.padding,
          activation: plan.activation === 'leakyRelu' ? 'linear' : plan.activation,
          useBias: plan.useBias,
        });
      case 'maxPooling2d':
        return tf.layers.maxPooling2d({ ...input, poolSize: plan.pool, strides: plan.strides, padding: plan.padding });
      case 'averagePooling2d':
        return tf.layers.averagePooling2d({
          ...input,
          poolSize: plan.pool,
          strides: plan.strides,
          padding: plan.padding,
        });
      case 'batchNormalization':
        return tf.layers.batchNormalization({
          ...input,
          center: plan.center,
          scale: plan.scale,
          epsilon: plan.epsilon,
        });
    }
  });
  const model = tf.sequential({
    layers: [
      ...built,
      c.globalPool ? tf.layers.globalAveragePooling2d({}) : tf.layers.flatten(),
      tf.layers.dense({ units: c.units, activation: 'softmax' }),
    ],
  });
  model.setWeights(
    model.weights.map((weight, w) => {
      const values = wave(
        weight.shape.reduce((a: number, b) => a * (b ?? 1), 1),
        c.seed + w,
      );
      return tf.tensor(
        weight.originalName.endsWith('moving_variance') ? values.map((v) => 1 + v / 2) : values,
        weight.shape as number[],
      );
    }),
  );
  return model;
};

describe('convolutional models between axon and TensorFlow.js', () => {
  it('TensorFlow.js loads every convnet axon writes and predicts what axon predicts, within 1e-5', async () => {
    await fc.assert(
      fc.asyncProperty(convnetArb, async (c) => {
        const model = axonModel(c);
        const tfModel = await tfjsLoad(encode(model));
        const batch = wave(3 * c.inputShape.reduce((a, b) => a * b, 1), c.seed + 2);
        expectWithin(axonPredict(model, batch, 3), tfjsPredict(tfModel, [3, ...c.inputShape], batch));
        tfModel.dispose();
      }),
      { numRuns: 30 },
    );
  });

  it('axon loads the convnets TensorFlow.js writes, batch-norm statistics included, and predicts what TensorFlow.js predicts', async () => {
    await fc.assert(
      fc.asyncProperty(convnetArb, async (c) => {
        const model = tfjsModel(c);
        const saved = decode(await tfjsSave(model));
        expect(saved.inputShape).toEqual(c.inputShape);
        const batch = wave(3 * c.inputShape.reduce((a, b) => a * b, 1), c.seed + 3);
        expectWithin(axonPredict(saved, batch, 3), tfjsPredict(model, [3, ...c.inputShape], batch));
        model.dispose();
      }),
      { numRuns: 30 },
    );
  });
});

/** ONNX Runtime's output for a batch of the model's ONNX export. */
async function onnxPredict(model: SavedModel, batch: Float32Array, count: number): Promise<Float32Array> {
  const onnx = toOnnx({ config: model.config }, model.params, {
    inputShape: model.inputShape,
    ...(model.state === undefined ? {} : { state: model.state }),
  });
  if (E.isLeft(onnx)) throw new Error(onnx.left);
  const session = await ort.InferenceSession.create(onnx.right);
  try {
    const outputs = await session.run({ input: new ort.Tensor('float32', batch, [count, ...model.inputShape]) });
    return outputs.output.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('convolutional models in ONNX', () => {
  it('ONNX Runtime runs every convnet axon exports (uneven same padding, dilation, batch norm folded) and predicts what axon predicts, within 1e-5', async () => {
    await fc.assert(
      fc.asyncProperty(convnetArb, async (c) => {
        const model = axonModel(c);
        const batch = wave(3 * c.inputShape.reduce((a, b) => a * b, 1), c.seed + 4);
        expectWithin(await onnxPredict(model, batch, 3), axonPredict(model, batch, 3));
      }),
      { numRuns: 30 },
    );
  });
});
