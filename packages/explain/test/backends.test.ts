import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWasmBackend, type WasmBackend } from '@axon/backend-wasm';
import { layers } from '@axon/nn';
import { jsBackend, key, tensor, toBackend, uniform, type Backend } from '@axon/tensor';
import { integratedGradients, modelScores, saliency, smoothGrad, type Attribution } from '../src/index.js';
import { maxDifference, maxMagnitude } from './support/models.js';

// A small MNIST-shaped classifier in float32, explained on the reference backend and on
// the WebAssembly one; the attributions must agree to float32 rounding.
const model = layers.sequential([
  layers.flatten(),
  layers.dense(32, { activation: 'relu' }),
  layers.dense(16, { activation: 'tanh' }),
  layers.dense(10, { activation: 'softmax' }),
]);
const { params } = model.init(key(1), [28, 28]);
const images = uniform(key(2), [3, 28, 28]);

let wasm: WasmBackend;
beforeAll(async () => {
  wasm = await createWasmBackend({ threads: 1 });
});
afterAll(async () => {
  await wasm.dispose();
});

const explainOn = (
  backend: Backend,
  method: (f: ReturnType<typeof modelScores>, x: typeof images) => Attribution,
): Attribution => {
  const f = modelScores(model, toBackend(params, backend));
  const result = method(f, toBackend(images, backend));
  expect(result.attributions.backend).toBe(backend);
  return result;
};

describe('the same attributions on every backend', () => {
  const methods: [string, (f: ReturnType<typeof modelScores>, x: typeof images) => Attribution][] = [
    ['saliency', (f, x) => saliency(f, x)],
    ['SmoothGrad', (f, x) => smoothGrad(f, x, { key: key(3), samples: 8 })],
    ['Integrated Gradients', (f, x) => integratedGradients(f, x, { steps: 32, batchSize: 40 })],
  ];
  it.each(methods)('%s: wasm agrees with js', (_name, method) => {
    const reference = explainOn(jsBackend, method);
    const onWasm = explainOn(wasm, method);
    expect(onWasm.classes).toEqual(reference.classes);
    expect(maxDifference(tensor(onWasm.attributions.values), tensor(reference.attributions.values))).toBeLessThan(
      1e-4 * maxMagnitude(reference.attributions),
    );
  });

  it('Integrated Gradients on wasm reports a small completeness error', () => {
    const ig = integratedGradients(modelScores(model, toBackend(params, wasm)), toBackend(images, wasm), { steps: 64 });
    const change = ig.classes.map((c, i) => ig.scores.values[i * 10 + c] - ig.baselineScores.values[i * 10 + c]);
    ig.completenessError.forEach((error, i) => expect(Math.abs(error)).toBeLessThan(0.05 * Math.abs(change[i]) + 1e-4));
  });
});
