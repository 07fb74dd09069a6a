// ONNX export checked by ONNX Runtime itself: every model axon writes loads in
// onnxruntime-node and predicts what axon predicts within 1e-5, on random models of
// every layer kind and on the MNIST test set.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mnist, ndArrayToTensor, renderDataError, scaleToUnit, takeRows } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { adam, fit, initTrainState, layers, losses, predict } from '@axon/nn';
import { key, tensor, type Tensor, type TensorTree } from '@axon/tensor';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { fromBinary } from '@bufbuild/protobuf';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { toOnnx, type SavedModel } from '../src/index.js';
import { ModelProtoSchema } from '../src/onnx/gen/onnx_pb.js';
import { savedModelArbitrary } from '../src/testing/index.js';

/** The agreement the issue asks for: 1e-5, relative to values larger than 1. */
const maxDifference = (actual: ArrayLike<number>, expected: ArrayLike<number>): number => {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  return worst;
};

const exported = (model: SavedModel): Uint8Array => {
  const onnx = toOnnx({ config: model.config }, model.params, {
    inputShape: model.inputShape,
    ...(model.state === undefined ? {} : { state: model.state }),
  });
  if (E.isLeft(onnx)) throw new Error(onnx.left);
  return onnx.right;
};

/** ONNX Runtime's output for a batch. */
async function ortPredict(onnx: Uint8Array, batch: Float32Array, shape: readonly number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(onnx);
  try {
    const outputs = await session.run({ input: new ort.Tensor('float32', batch, [...shape]) });
    return outputs.output.data as Float32Array;
  } finally {
    await session.release();
  }
}

const axonPredict = (model: SavedModel, x: Tensor): Float32Array =>
  predict(layers.fromConfig(model.config), model.params as readonly TensorTree[], x, {
    batchSize: 256,
    ...(model.state === undefined ? {} : { state: model.state }),
  }).values as Float32Array;

describe('toOnnx', () => {
  it('writes every model so that ONNX Runtime predicts what axon predicts, within 1e-5', async () => {
    await fc.assert(
      fc.asyncProperty(savedModelArbitrary(), fc.nat(), async (model, seed) => {
        const shape = [3, ...model.inputShape];
        const batch = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) =>
          Math.sin(seed * 7919 + i * 12.9898),
        );
        const ours = axonPredict(model, tensor(batch, { shape }));
        expect(maxDifference(await ortPredict(exported(model), batch, shape), ours)).toBeLessThanOrEqual(1e-5);
      }),
      { numRuns: 60 },
    );
  });

  it('writes opset 13, IR version 7, an input and an output whose batch axis is free, and dense layers as MatMul and Add', () => {
    const model = layers.sequential([
      layers.flatten(),
      layers.dense(3, { activation: 'gelu' }),
      layers.dropout(0.5),
      layers.dense(2, { activation: 'softmax', useBias: false }),
    ]);
    const { params } = model.init(key(0), [2, 2]);
    const onnx = toOnnx(model, params, { inputShape: [2, 2] });
    if (E.isLeft(onnx)) throw new Error(onnx.left);
    const decoded = fromBinary(ModelProtoSchema, onnx.right);
    expect([decoded.irVersion, decoded.opsetImport.map((o) => [o.domain, o.version])]).toEqual([7n, [['', 13n]]]);
    const graph = decoded.graph;
    const dims = (info: NonNullable<typeof graph>['input'][number]) =>
      info.type?.value.case === 'tensorType'
        ? info.type.value.value.shape?.dim.map((d) =>
            d.value.case === 'dimParam' ? d.value.value : Number(d.value.value),
          )
        : undefined;
    expect(graph?.input.map((input) => [input.name, dims(input)])).toEqual([['input', ['batch', 2, 2]]]);
    expect(graph?.output.map((output) => [output.name, dims(output)])).toEqual([['output', ['batch', 2]]]);
    expect(graph?.node.map((node) => node.opType)).toEqual([
      'Flatten',
      'MatMul',
      'Add',
      'Div',
      'Erf',
      'Add',
      'Mul',
      'Mul',
      'MatMul',
      'Softmax',
      'Identity',
    ]);
    expect(graph?.initializer.map((t) => t.name)).toEqual([
      'dense/kernel',
      'dense/bias',
      'dense/sqrt2',
      'dense/one',
      'dense/half',
      'dense_1/kernel',
    ]);
  });

  it('refuses params that do not fit and weights that are not finite, with one line', () => {
    const model = layers.sequential([layers.dense(2)]);
    expect(toOnnx(model, [{ kernel: tensor([[1, 2]]) }], { inputShape: [3] })).toEqual(
      E.left('layer "dense" needs a kernel of shape [3, 2] in its params'),
    );
    expect(
      toOnnx(
        model,
        [
          {
            kernel: tensor([
              [1, 2],
              [3, NaN],
              [5, 6],
            ]),
            bias: tensor([0, 0]),
          },
        ],
        { inputShape: [3] },
      ),
    ).toEqual(E.left('dense/kernel holds NaN at index 3 (element [1, 1] of [3, 2])'));
  });

  const mnistDir = fileURLToPath(new URL('../../../../shared/data/mnist', import.meta.url));
  const images = Number(process.env.AXON_ONNX_IMAGES ?? 1000);
  it.skipIf(!existsSync(mnistDir))(
    `agrees with axon on the first ${images} MNIST test images, within 1e-5, for a trained model (needs ../shared/data/mnist)`,
    async () => {
      const loaded = await loadDataset(mnist, { dir: mnistDir })();
      if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
      const indices = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
      const x = ndArrayToTensor(scaleToUnit(takeRows(loaded.right.train.inputs, indices(2000))));
      const y = tensor(loaded.right.train.labels.subarray(0, 2000));
      const model = layers.sequential([
        layers.flatten(),
        layers.dense(128, { activation: 'relu' }),
        layers.dense(128, { activation: 'relu' }),
        layers.dense(10, { activation: 'softmax' }),
      ]);
      const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
      const { state } = await fit(
        plan,
        initTrainState(plan, key(0), [28, 28]),
        { x, y },
        { epochs: 1, batchSize: 128 },
      );
      const test = scaleToUnit(takeRows(loaded.right.test.inputs, indices(images)));
      const saved: SavedModel = {
        inputShape: [28, 28],
        config: model.config,
        params: state.params as readonly TensorTree[],
        metadata: null,
      };
      const ours = axonPredict(saved, ndArrayToTensor(test));
      const theirs = await ortPredict(exported(saved), Float32Array.from(test.values), [images, 28, 28]);
      const worst = maxDifference(theirs, ours);
      console.info(`ONNX Runtime vs axon on ${images} MNIST test images: max difference ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-5);
    },
    120_000,
  );
});
