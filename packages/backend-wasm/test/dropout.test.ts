import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { createWasmBackend, type WasmBackend } from '../src/edge/index.js';

let backends: WasmBackend[];
beforeAll(async () => {
  backends = await Promise.all([1, 2].map((threads) => createWasmBackend({ threads })));
});
afterAll(() => Promise.all(backends.map((b) => b.dispose())));

/** Values with zeros of both signs, NaN and infinities among random ones. */
const inputs = (seed: number, shape: number[]): Float32Array => {
  const values = Float32Array.from(T.uniform(T.key(seed), shape, { minval: -4, maxval: 4 }).values);
  [0, -0, Number.NaN, Infinity, -Infinity, 3e38].forEach((v, j) => {
    if (j * 7 < values.length) values[j * 7] = v;
  });
  return values;
};

/** The ops the fused kernel replaces, on the reference backend. */
const reference = (x: T.Tensor<'float32'>, key: T.PRNGKey, rate: number): T.Tensor<'float32'> =>
  T.where(T.bernoulli(key, 1 - rate, x.shape), T.mul(x, 1 / (1 - rate)), 0);

const bitsOf = (t: T.Tensor): Uint32Array => new Uint32Array(Float32Array.from(t.values as Float32Array).buffer);

describe('wasm dropout', () => {
  it('equals where(bernoulli(key, 1 - rate), x / (1 - rate), 0) on the reference backend, bit for bit, on 1 and 2 threads', () => {
    // Odd and even sizes, below and above a task's chunk (4,096 counter pairs) and the parallel threshold.
    const sizes = [1, 2, 3, 4, 5, 6, 7, 9, 130, 8191, 8192, 8194, 20_001, 128 * 1600];
    fc.assert(
      fc.property(
        fc.constantFrom(...sizes),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(0, 0.1, 0.25, 0.5, 0.9, 0.999),
        (size, seed, rate) => {
          const key = T.foldIn(T.key(seed), 7);
          const values = inputs(seed, [size]);
          const expected = bitsOf(reference(T.tensor(values, { shape: [size] }), key, rate));
          for (const backend of backends) {
            const got = bitsOf(T.dropout(T.tensor(values, { shape: [size], backend }), key, rate));
            expect(got).toEqual(expected);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('runs in wasm for float32 and falls back to the ops for float64', () => {
    const backend = backends[1];
    const key = T.key(3);
    const x32 = T.uniform(T.key(1), [64, 33], { backend });
    expect(backend.dropout?.(x32.storage, key, 0.5, 2)).toBeDefined();
    const x64 = T.uniform(T.key(1), [64, 33], { dtype: 'float64', backend });
    expect(backend.dropout?.(x64.storage, key, 0.5, 2)).toBeUndefined();
    const expected = T.where(T.bernoulli(key, 0.5, x64.shape), T.mul(T.toBackend(x64, T.jsBackend), 2), 0);
    expect(T.dropout(x64, key, 0.5).toArray()).toEqual(expected.toArray());
  });

  it('has the gradient of the ops it replaces: the same mask and scale applied to the output gradient', () => {
    const key = T.key(11);
    const size = 1001;
    const x = inputs(5, [size]).map((v) => (Number.isFinite(v) ? v : 1));
    const dy = T.uniform(T.key(6), [size], { minval: -1, maxval: 1 });
    const loss = (f: (t: T.Tensor) => T.Tensor) => (t: T.Tensor) => T.sum(T.mul(f(t), T.toBackend(dy, t.backend)));
    const expected = T.grad(loss((t) => reference(t as T.Tensor<'float32'>, key, 0.3)))(T.tensor(x, { shape: [size] }));
    for (const backend of backends) {
      const got = T.grad(loss((t) => T.dropout(t, key, 0.3)))(T.tensor(x, { shape: [size], backend }));
      expect(bitsOf(got)).toEqual(bitsOf(expected));
    }
  });
});
