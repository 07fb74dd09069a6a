import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { createWasmBackend, type WasmBackend } from '../src/edge/index.js';
import { float32Bits } from './reference.js';

// The fused convolution (bias and relu in the product's epilogue) against the ops it
// replaces, on the same backend: forward and every gradient equal bit for bit.

let backends: WasmBackend[];
beforeAll(async () => {
  backends = await Promise.all([1, 2].map((threads) => createWasmBackend({ threads })));
});
afterAll(() => Promise.all(backends.map((b) => b.dispose())));

const bitsOf = (t: T.Tensor): number[] => float32Bits(t.values);

const caseArb = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  size: fc.tuple(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 3, max: 9 })),
  inChannels: fc.integer({ min: 1, max: 5 }),
  outChannels: fc.integer({ min: 1, max: 12 }),
  filter: fc.integer({ min: 1, max: 3 }),
  strides: fc.integer({ min: 1, max: 2 }),
  padding: fc.constantFrom<T.Padding>('valid', 'same'),
  activation: fc.constantFrom<T.ConvActivation>('linear', 'relu'),
  useBias: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1000 }),
});

describe('wasm fusedConv2d', () => {
  it('equals relu(conv2d(x, kernel) + bias) and its gradients bit for bit, on 1 and 2 threads', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const options = { strides: c.strides, padding: c.padding };
        const xShape = [c.batch, c.size[0], c.size[1], c.inChannels];
        const kShape = [c.filter, c.filter, c.inChannels, c.outChannels];
        for (const backend of backends) {
          const x = T.uniform(T.key(c.seed), xShape, { minval: -1, maxval: 1, backend });
          const kernel = T.uniform(T.key(c.seed + 1), kShape, { minval: -1, maxval: 1, backend });
          const bias = c.useBias ? T.uniform(T.key(c.seed + 2), [c.outChannels], { backend }) : undefined;
          const unfused = (p: readonly T.Tensor[]): T.Tensor => {
            const convolved = T.conv2d(p[0], p[1], options);
            const biased = p[2] === undefined ? convolved : T.add(convolved, p[2]);
            return c.activation === 'relu' ? T.relu(biased) : biased;
          };
          const fused = (p: readonly T.Tensor[]): T.Tensor => T.fusedConv2d(p[0], p[1], p[2], c.activation, options);
          const params = bias === undefined ? [x, kernel] : [x, kernel, bias];
          expect(bitsOf(fused(params))).toEqual(bitsOf(unfused(params)));
          const dy = T.uniform(T.key(c.seed + 3), T.conv2d(x, kernel, options).shape, {
            minval: -1,
            maxval: 1,
            backend,
          });
          const loss = (f: (p: readonly T.Tensor[]) => T.Tensor) => (p: T.Tensor[]) => T.sum(T.mul(f(p), dy));
          const expected = T.grad(loss(unfused))(params);
          T.grad(loss(fused))(params).forEach((g, i) =>
            expect(bitsOf(g), `gradient ${i}`).toEqual(bitsOf(expected[i])),
          );
        }
      }),
      { numRuns: 30 },
    );
  });

  it('runs in wasm for float32 and falls back to the ops for float64', () => {
    const backend = backends[1];
    const x = T.uniform(T.key(1), [2, 5, 5, 3], { dtype: 'float64', backend });
    const kernel = T.uniform(T.key(2), [3, 3, 3, 4], { dtype: 'float64', backend });
    const g = T.conv2dGeometry(x.shape, kernel.shape, {});
    expect(backend.fusedConv2d?.(x.storage, kernel.storage, undefined, 'relu', g)).toBeUndefined();
    expect(T.fusedConv2d(x, kernel, undefined, 'relu').toArray()).toEqual(T.relu(T.conv2d(x, kernel)).toArray());
    const x32 = T.cast(x, 'float32'),
      k32 = T.cast(kernel, 'float32');
    expect(backend.fusedConv2d?.(x32.storage, k32.storage, undefined, 'relu', g)).toBeDefined();
  });
});
