import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { createWasmBackend, type WasmBackend } from '../src/edge/index.js';
import { float32Bits } from './reference.js';

// The fused convolution and max pooling against the two ops it replaces on the same
// backend: bit for bit, on 1, 2 and 3 threads, where it runs and where it declines; under
// grad, the two ops themselves.

let backends: WasmBackend[];
/** Winograd's algorithm off: 3×3 convolutions with 8 or more channels then run over patches, fused. */
let patchesOnly: WasmBackend;
beforeAll(async () => {
  backends = await Promise.all([1, 2, 3].map((threads) => createWasmBackend({ threads })));
  patchesOnly = await createWasmBackend({ threads: 2, winograd: false });
});
afterAll(() => Promise.all([...backends, patchesOnly].map((b) => b.dispose())));

const caseArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 4 }),
    size: fc.tuple(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 })),
    inChannels: fc.integer({ min: 1, max: 10 }),
    outChannels: fc.integer({ min: 1, max: 13 }),
    filter: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
    strides: fc.integer({ min: 1, max: 2 }),
    dilation: fc.integer({ min: 1, max: 2 }),
    padding: fc.constantFrom<T.Padding>('valid', 'same'),
    activation: fc.constantFrom<T.ConvActivation>('linear', 'relu'),
    useBias: fc.boolean(),
    poolSize: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    poolStrides: fc.option(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), {
      nil: undefined,
    }),
    poolPadding: fc.constantFrom<T.Padding>('valid', 'same'),
    /** NaN, ±∞ and ±0 among the inputs, for the pooling's NaN rule and the zeros' signs. */
    special: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .filter((c) => c.strides === 1 || c.dilation === 1);

type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never;

const specials = [Number.NaN, Infinity, -Infinity, 0, -0];

/** The case's operands on `backend`. */
const operandsOf = (c: Case, backend: WasmBackend) => {
  const xShape = [c.batch, c.size[0], c.size[1], c.inChannels];
  const values = T.uniform(T.key(c.seed), xShape, { minval: -1, maxval: 1 }).values as Float32Array;
  if (c.special) for (let i = 0; i < values.length; i += 7) values[i] = specials[(i / 7) % specials.length];
  return {
    x: T.tensor(values, { shape: xShape, backend }),
    kernel: T.uniform(T.key(c.seed + 1), [...c.filter, c.inChannels, c.outChannels], {
      minval: -1,
      maxval: 1,
      backend,
    }),
    bias: c.useBias ? T.uniform(T.key(c.seed + 2), [c.outChannels], { backend }) : undefined,
    conv: { strides: c.strides, padding: c.padding, dilation: c.dilation },
    pool: { poolSize: c.poolSize, strides: c.poolStrides, padding: c.poolPadding },
  };
};

/** The fused op's bits and how many convolutions ran fused, or undefined where the geometry is refused. */
const fusedOn = (backend: WasmBackend, c: Case): { bits: number[]; fused: number } | undefined => {
  const { x, kernel, bias, conv, pool } = operandsOf(c, backend);
  const before = backend.usage().convolutions.maxPooled;
  try {
    const y = T.fusedConv2dMaxPool(x, kernel, bias, c.activation, conv, pool);
    return { bits: float32Bits(y.values), fused: backend.usage().convolutions.maxPooled - before };
  } catch (error) {
    if (error instanceof T.TensorError) return undefined;
    throw error;
  }
};

const composedOn = (backend: WasmBackend, c: Case): number[] => {
  const { x, kernel, bias, conv, pool } = operandsOf(c, backend);
  return float32Bits(T.maxPool2d(T.fusedConv2d(x, kernel, bias, c.activation, conv), pool.poolSize, pool).values);
};

/**
 * Whether the pooling's windows tile the convolution's output, where the fused kernel
 * may run: strides equal to the pool size, and no padding (`same` pads nothing where the
 * pool size divides the output).
 */
const tiles = (c: Case): boolean => {
  const strides = c.poolStrides ?? c.poolSize;
  const g = T.conv2dGeometry(
    [c.batch, c.size[0], c.size[1], c.inChannels],
    [...c.filter, c.inChannels, c.outChannels],
    {
      strides: c.strides,
      padding: c.padding,
      dilation: c.dilation,
    },
  );
  const divides = g.outHeight % c.poolSize[0] === 0 && g.outWidth % c.poolSize[1] === 0;
  return strides[0] === c.poolSize[0] && strides[1] === c.poolSize[1] && (c.poolPadding === 'valid' || divides);
};

describe('wasm fusedConv2dMaxPool', () => {
  it('equals maxPool2d(fusedConv2d(...)) bit for bit on 1, 2 and 3 threads, running fused where the windows tile', () => {
    let fusedRuns = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const results = backends.map((b) => fusedOn(b, c));
        if (results[0] === undefined) return results.every((r) => r === undefined);
        const composed = composedOn(backends[0], c);
        results.forEach((r, i) => expect(r?.bits, `${i + 1} threads`).toEqual(composed));
        const winograd = c.filter[0] === 3 && c.filter[1] === 3 && c.strides === 1 && c.dilation === 1;
        const expected = tiles(c) && !(winograd && c.inChannels >= 8) ? 1 : 0;
        expect(results.map((r) => r?.fused)).toEqual([expected, expected, expected]);
        fusedRuns += expected;
      }),
      { numRuns: 150 },
    );
    // The property above is vacuous unless the kernel ran.
    expect(fusedRuns).toBeGreaterThan(10);
  });

  it('takes the convolutions Winograd would take when Winograd is off, and products deeper than a block of k', () => {
    // 3×3×32 = 288 taps: two blocks of the product's k; 4 output channels short of a panel.
    const c: Case = {
      batch: 5,
      size: [14, 13],
      inChannels: 32,
      outChannels: 20,
      filter: [3, 3],
      strides: 1,
      dilation: 1,
      padding: 'same',
      activation: 'relu',
      useBias: true,
      poolSize: [2, 2],
      poolStrides: undefined,
      poolPadding: 'valid',
      special: false,
      seed: 7,
    };
    const fused = fusedOn(patchesOnly, c);
    expect(fused?.fused).toBe(1);
    expect(fused?.bits).toEqual(composedOn(patchesOnly, c));
    // With Winograd on, the two ops run, in Winograd's bits.
    expect(fusedOn(backends[1], c)).toEqual({ bits: composedOn(backends[1], c), fused: 0 });
  });

  it('runs the two ops under grad, so its gradients are theirs', () => {
    const backend = backends[1];
    const x = T.uniform(T.key(1), [3, 10, 9, 2], { minval: -1, maxval: 1, backend });
    const kernel = T.uniform(T.key(2), [3, 3, 2, 6], { minval: -1, maxval: 1, backend });
    const bias = T.uniform(T.key(3), [6], { backend });
    const weights = T.uniform(T.key(4), [3, 4, 3, 6], { backend });
    const objective =
      (pool: (p: { kernel: T.Tensor; bias: T.Tensor }) => T.Tensor) => (p: { kernel: T.Tensor; bias: T.Tensor }) =>
        T.sum(T.mul(pool(p), weights));
    const before = backend.usage().convolutions.maxPooled;
    const fused = T.grad(objective((p) => T.fusedConv2dMaxPool(x, p.kernel, p.bias, 'relu', {}, { poolSize: 2 })))({
      kernel,
      bias,
    });
    expect(backend.usage().convolutions.maxPooled).toBe(before);
    const composed = T.grad(objective((p) => T.maxPool2d(T.fusedConv2d(x, p.kernel, p.bias, 'relu'), 2)))({
      kernel,
      bias,
    });
    expect(float32Bits(fused.kernel.values)).toEqual(float32Bits(composed.kernel.values));
    expect(float32Bits(fused.bias.values)).toEqual(float32Bits(composed.bias.values));
    // Outside grad, the same operands run fused.
    T.fusedConv2dMaxPool(x, kernel, bias, 'relu', {}, { poolSize: 2 });
    expect(backend.usage().convolutions.maxPooled).toBe(before + 1);
  });
});
