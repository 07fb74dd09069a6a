import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { adam, initTrainState, layers, losses, makeTrainStep, takeBatch } from '@axon/nn';
import { createWasmBackend, type WasmBackend } from '../src/edge/index.js';

// End to end: a convnet (conv + relu, max pooling, dropout, as `axon train --model cnn`
// builds it, smaller) trained with the fused kernels (dropout, bias and relu in the
// convolution) gives exactly the parameters the unfused ops give, on 1 and 2 threads;
// its predictions with the convolution and pooling fused are those of the ops one by one.

let backends: WasmBackend[];
beforeAll(async () => {
  backends = await Promise.all([1, 2].map((threads) => createWasmBackend({ threads })));
});
afterAll(() => Promise.all(backends.map((b) => b.dispose())));

/** The same backend without its optional fused kernels, so the ops run one by one. */
const unfused = (backend: T.Backend): T.Backend => ({
  ...backend,
  dropout: undefined,
  fusedConv2d: undefined,
  fusedConv2dMaxPool: undefined,
});

const bitsOf = (params: T.TensorTree): number[][] =>
  T.treeLeaves(params).map((t) => Array.from(new Uint32Array(Float32Array.from(t.values as Float32Array).buffer)));

const convnet = () =>
  layers.sequential([
    layers.conv2d(8, 3, { activation: 'relu' }),
    layers.maxPooling2d(2),
    layers.conv2d(16, 3, { activation: 'relu' }),
    layers.maxPooling2d(2),
    layers.flatten(),
    layers.dropout(0.5),
    layers.dense(10, { activation: 'softmax' }),
  ]);

describe('a convnet on wasm', () => {
  it('gives bit-identical parameters with and without the fused dropout and convolution kernels', () => {
    const model = convnet();
    const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
    const data = { x: T.uniform(T.key(1), [64, 16, 16, 1]), y: T.randint(T.key(2), [64], 0, 10) };
    const train = (backend: T.Backend): number[][] => {
      const step = makeTrainStep(plan);
      const onBackend = { x: T.toBackend(data.x, backend), y: T.toBackend(data.y, backend) };
      let state = initTrainState(plan, T.key(0), [16, 16, 1], { backend });
      for (let i = 0; i < 4; i++)
        state = step(state, takeBatch(onBackend, T.permutationValues(T.key(i), 64), 0, 16)).state;
      return bitsOf(state.params);
    };
    for (const backend of backends) expect(train(backend)).toEqual(train(unfused(backend)));
  });

  it('predicts with the first convolution and its pooling in one kernel, in the bits of the ops one by one', () => {
    const model = convnet();
    const x = T.uniform(T.key(3), [40, 16, 16, 1]);
    for (const backend of backends) {
      const { params } = model.init(T.key(0), [16, 16, 1], { backend });
      const before = backend.usage().convolutions;
      const fused = model.apply(params, T.toBackend(x, backend));
      const after = backend.usage().convolutions;
      // The second convolution (8 input channels, 3×3) runs Winograd's algorithm, which keeps its own two ops.
      expect(after.maxPooled - before.maxPooled).toBe(1);
      expect(after.winograd - before.winograd).toBe(1);
      const ops = unfused(backend);
      const oneByOne = model.apply(T.toBackend(params, ops), T.toBackend(x, ops));
      expect(bitsOf(fused)).toEqual(bitsOf(oneByOne));
    }
  });
});
