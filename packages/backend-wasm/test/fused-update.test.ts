import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import {
  adagrad,
  adam,
  adamw,
  applyUpdates,
  chain,
  clipByValue,
  exponentialDecay,
  optimizerByName,
  optimizerStep,
  rmsprop,
  sgd,
  type GradientTransformation,
  type OptimizerName,
} from '@axon/nn';
import { createWasmBackend, type WasmBackend } from '../src/edge/index.js';
import { firstDifference } from './reference.js';

let backends: WasmBackend[];
beforeAll(async () => {
  backends = await Promise.all([1, 2].map((threads) => createWasmBackend({ threads })));
});
afterAll(() => Promise.all(backends.map((b) => b.dispose())));

/** A backend that counts its fused updates, so a test knows which path ran. */
const counting = (backend: WasmBackend) => {
  const calls = { fused: 0 };
  const wrapped: T.Backend = {
    ...backend,
    fusedUpdate: (stages, operands) => {
      calls.fused += 1;
      return backend.fusedUpdate?.(stages, operands);
    },
  };
  return { backend: wrapped, calls };
};

/** Sizes off the vector width, below and above the job's chunk of 2048 elements. */
const shapes: number[][] = [[3], [7, 5], [2049], [64, 67]];

/** Gradients with zeros of both signs, and large and tiny values, mixed into random ones. */
const gradients = (seed: number, backend: T.Backend): T.Tensor<'float32'>[] =>
  shapes.map((shape, i) => {
    const values = Float32Array.from(T.uniform(T.key(seed * 31 + i), shape, { minval: -3, maxval: 3 }).values);
    [0, -0, 1e-30, -1e20, 1e-8].forEach((v, j) => {
      if (j * 5 < values.length) values[j * 5] = v;
    });
    return T.tensor(values, { shape, backend });
  });

/** `steps` steps of `optimizer`, fused (optimizerStep) or op by op (update, then applyUpdates). */
const train = (optimizer: GradientTransformation, backend: T.Backend, steps: number, fused: boolean) => {
  let params: T.Tensor[] = shapes.map((shape, i) =>
    T.uniform(T.key(100 + i), shape, { minval: -1, maxval: 1, backend }),
  );
  let state = optimizer.init(params);
  for (let step = 0; step < steps; step++) {
    const grads = gradients(step, backend);
    if (fused) ({ params, state } = optimizerStep(optimizer, grads, state, params));
    else {
      const result = optimizer.update(grads, state, params);
      params = applyUpdates(params, result.updates);
      state = result.state;
    }
  }
  return { params, state };
};

const expectSame = (a: unknown, b: unknown): void => {
  const [x, y] = [T.tensorsIn(a), T.tensorsIn(b)];
  expect(x.length).toBe(y.length);
  x.forEach((t, i) => expect(firstDifference(t.values, y[i].values)).toBe(-1));
};

const names: readonly OptimizerName[] = ['sgd', 'momentum', 'adam', 'adamw', 'rmsprop', 'adagrad'];
const variants: [string, GradientTransformation][] = [
  ...names.map((name): [string, GradientTransformation] => [name, optimizerByName(name, 0.01)]),
  ['nesterov', sgd(0.05, { momentum: 0.9, nesterov: true })],
  ['adam, PyTorch placement', adam(0.01, { epsilonPlacement: 'pytorch' })],
  [
    'adam with L2 decay and a schedule',
    adam(exponentialDecay({ initialValue: 0.01, decaySteps: 2, decayRate: 0.5 }), { weightDecay: 0.1 }),
  ],
  ['adamw, β2 0.99', adamw(0.01, { beta2: 0.99, weightDecay: 0.05 })],
  ['rmsprop with momentum', rmsprop(0.01, { rho: 0.8, momentum: 0.5, weightDecay: 0.01 })],
  ['adagrad from 0', adagrad(0.1, { initialAccumulatorValue: 0, epsilon: 1e-3 })],
];

describe('fused optimizer steps', () => {
  it.each(variants)(
    '%s: one fused job gives the op-by-op params and state bit for bit, on 1 and 2 threads',
    (_name, optimizer) => {
      expect(optimizer.fused).toBeDefined();
      const expected = train(optimizer, T.jsBackend, 4, false);
      backends.forEach((wasm) => {
        const { backend, calls } = counting(wasm);
        const fused = train(optimizer, backend, 4, true);
        expect(calls.fused).toBe(4);
        expectSame(fused, expected);
        expectSame(train(optimizer, wasm, 4, false), expected);
      });
    },
  );

  it('keeps the optimizer state a plain tree, shaped as the op-by-op state', () => {
    const optimizer = adam(0.01);
    const fused = train(optimizer, backends[1], 2, true).state;
    const plain = train(optimizer, T.jsBackend, 2, false).state;
    const shape = (state: unknown): string =>
      JSON.stringify(state, (_k, v: unknown) => (v instanceof T.Tensor ? `tensor${JSON.stringify(v.shape)}` : v));
    expect(shape(fused)).toBe(shape(plain));
  });

  it('falls back to the ops for stages it cannot fuse, and for float64', () => {
    const { backend, calls } = counting(backends[0]);
    const clipped = chain(clipByValue(0.5), sgd(0.1));
    expect(clipped.fused).toBeUndefined();
    expectSame(train(clipped, backend, 2, true), train(clipped, T.jsBackend, 2, false));
    const params = [T.tensor([1, 2], { dtype: 'float64', backend })];
    const grads = [T.tensor([0.5, -0.5], { dtype: 'float64', backend })];
    const optimizer = sgd(0.1);
    const { params: next } = optimizerStep(optimizer, grads, optimizer.init(params), params);
    expect(Array.from(next[0].values)).toEqual([0.95, 2.05]);
    expect(calls.fused).toBe(1);
  });

  it('agrees with the ops on random hyper-parameters', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.double({ min: 1e-8, max: 1e-2, noNaN: true }),
        (rate, decay, epsilon) => {
          const optimizers = [
            rmsprop(rate, { rho: decay, epsilon }),
            sgd(rate, { momentum: decay, nesterov: true }),
            adam(rate, { beta1: decay, epsilon }),
          ];
          optimizers.forEach((optimizer) =>
            expectSame(train(optimizer, backends[1], 2, true), train(optimizer, T.jsBackend, 2, false)),
          );
        },
      ),
      { numRuns: 15 },
    );
  });
});
