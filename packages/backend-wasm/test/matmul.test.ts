import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FusedActivation, MatmulSpec } from '@axon/tensor';
import { startWasmRuntime } from '../src/edge/runtime.js';
import { hasRelaxedSimd } from '../src/runtime/features.js';
import type { WasmRuntime } from '../src/runtime/runtime.js';
import { matmulValues } from './host-kernels.js';
import {
  firstDifference,
  float64Matmul,
  matmulSpec,
  matmulSpecArb,
  randomFloats,
  sequentialMatmul,
} from './reference.js';

/** Runtimes on 1, 2 and 3 threads whose products round every multiply and add (`exact`), and whose products fuse them (`fused`). */
let exact: WasmRuntime[];
let fused: WasmRuntime[];
let single: WasmRuntime;

beforeAll(async () => {
  exact = await Promise.all([1, 2, 3].map((threads) => startWasmRuntime({ threads, fma: false })));
  fused = await Promise.all([1, 2, 3].map((threads) => startWasmRuntime({ threads })));
  single = exact[0];
});
afterAll(() => Promise.all([...exact, ...fused].map((r) => r.dispose())));

/** Sizes off the SIMD width, the 5x8 micro-tile and the cache blocks. */
const edgeDim = fc.oneof(fc.constantFrom(1, 3, 5, 8, 17, 127, 129), fc.integer({ min: 1, max: 24 }));
const depth = fc.oneof(fc.constantFrom(1, 3, 17, 255, 257, 785), fc.integer({ min: 1, max: 40 }));

const specArb = matmulSpecArb(edgeDim, depth, 400_000);

const operandsFor = (spec: MatmulSpec, seed: number): [Float32Array, Float32Array] => [
  randomFloats(seed, (spec.aBatched ? spec.batch : 1) * spec.m * spec.k),
  randomFloats(seed + 1, (spec.bBatched ? spec.batch : 1) * spec.k * spec.n),
];

describe('float32 matmul', () => {
  it('is within float32 summation error of the float64 product, for every transpose and batch layout, fused or not', () => {
    fc.assert(
      fc.property(specArb, fc.nat(), (spec, seed) => {
        const [a, b] = operandsFor(spec, seed);
        const { values, magnitudes } = float64Matmul(a, b, spec);
        // Recursive summation of k products, each rounded or fused, errs by at most (k + 1)·2^-24·Σ|a·b|.
        const bound = (spec.k + 1) * 2 ** -24;
        [single, fused[0]].forEach((runtime) => {
          const c = matmulValues(runtime, a, b, spec);
          expect(c.length).toBe(values.length);
          c.forEach((v, i) => expect(Math.abs(v - values[i])).toBeLessThanOrEqual(bound * magnitudes[i] + 1e-30));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('fuses multiply-adds where the host has relaxed SIMD, which this Node is given', () => {
    expect(fused[0].fma).toBe(hasRelaxedSimd());
    expect(fused[0].fma).toBe(true);
    expect(single.fma).toBe(false);
    // 1·(-1) + (1 + 2^-12)²: a rounded product loses the 2^-24, a fused multiply-add keeps it.
    const a = Float32Array.from([1, 1 + 2 ** -12]);
    const b = Float32Array.from([-1, 1 + 2 ** -12]);
    expect(matmulValues(single, a, b, matmulSpec(1, 2, 1))[0]).toBe(2 ** -11);
    expect(matmulValues(fused[0], a, b, matmulSpec(1, 2, 1))[0]).toBe(2 ** -11 + 2 ** -24);
  });

  it('equals the naive float32 loop bit for bit without fusing: every element sums its products in k order', () => {
    fc.assert(
      fc.property(specArb, fc.nat(), (spec, seed) => {
        const [a, b] = operandsFor(spec, seed);
        expect(firstDifference(matmulValues(single, a, b, spec), sequentialMatmul(a, b, spec))).toBe(-1);
      }),
      { numRuns: 60 },
    );
  });

  it('gives bit-identical results on 1, 2 and 3 threads, fused or not', () => {
    const shapes: [number, number, number, Partial<MatmulSpec>][] = [
      [128, 784, 128, {}],
      [784, 128, 128, { transposeA: true }],
      [128, 128, 784, { transposeB: true }],
      [131, 300, 67, { transposeA: true, transposeB: true }],
      [37, 129, 53, { batch: 3, aBatched: true, bBatched: true }],
    ];
    shapes.forEach(([m, k, n, options], i) => {
      const spec = matmulSpec(m, k, n, options);
      const [a, b] = operandsFor(spec, 100 + i);
      [exact, fused].forEach((group) => {
        const [first, ...others] = group.map((r) => matmulValues(r, a, b, spec));
        others.forEach((c) => expect(firstDifference(c, first)).toBe(-1));
      });
      expect(firstDifference(matmulValues(single, a, b, spec), sequentialMatmul(a, b, spec))).toBe(-1);
    });
  });

  it('reads an A given in the packed panel layout as the product reads the A it packs: the same bits', () => {
    fc.assert(
      fc.property(specArb, fc.nat(), (drawn, seed) => {
        const spec = { ...drawn, transposeA: false, transposeB: false };
        const [a, b] = operandsFor(spec, seed);
        [exact, fused].forEach((group) =>
          group.forEach((r) => {
            const { memory, kernels, heap } = r;
            const rows = kernels.panelRows(spec.m);
            const panel = kernels.panelRows(1);
            // Panel p, step (column) q, row i of A at (p·k + q)·panel + i; rows past m zero.
            const entries = spec.aBatched ? spec.batch : 1;
            const packed = new Float32Array(entries * rows * spec.k);
            for (let t = 0; t < entries; t++)
              for (let i = 0; i < spec.m; i++)
                for (let q = 0; q < spec.k; q++)
                  packed[t * rows * spec.k + (Math.floor(i / panel) * spec.k + q) * panel + (i % panel)] =
                    a[(t * spec.m + i) * spec.k + q];
            const [aAt, bAt] = [packed, b].map((values) => {
              const s = memory.allocate('float32', values.length);
              memory.viewOf(s).set(values);
              return s;
            });
            const c = memory.allocate('float32', spec.batch * spec.m * spec.n);
            const bStride = spec.bBatched ? spec.k * spec.n : 0;
            const panels = heap.scratch(kernels.packedBytes(spec.batch, 0, spec.k, spec.n, 0, spec.bBatched ? 1 : 0));
            const args = [spec.batch, spec.m, spec.k, spec.n, spec.aBatched ? 1 : 0, bStride, 0, 0, panels] as const;
            expect(kernels.packedMatmul(1, aAt.address, bAt.address, c.address, ...args)).toBe(0);
            expect(firstDifference(memory.viewOf(c), matmulValues(r, a, b, spec))).toBe(-1);
            [aAt, bAt, c].forEach((s) => memory.release(s));
          }),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('writes zeros when k is 0', () => {
    expect(Array.from(matmulValues(single, new Float32Array(0), new Float32Array(0), matmulSpec(3, 0, 9)))).toEqual(
      new Array(27).fill(0),
    );
  });

  it('keeps NaN and infinities where IEEE arithmetic puts them', () => {
    const a = Float32Array.from([1, Number.NaN, 2, 3]);
    const b = Float32Array.from([Infinity, 1, 0, 1]);
    // [[1, NaN], [2, 3]] · [[inf, 1], [0, 1]]
    expect(Array.from(matmulValues(single, a, b, matmulSpec(2, 2, 2)))).toEqual([Number.NaN, Number.NaN, Infinity, 5]);
  });
});

const activations: readonly FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];

/** The fused epilogue applied to the exact float32 product, as the kernel promises. */
const expectedDense = (
  product: Float32Array,
  bias: Float32Array | undefined,
  n: number,
  activation: FusedActivation,
): Float32Array =>
  product.map((v, i) => {
    const z = bias === undefined ? v : v + bias[i % n];
    switch (activation) {
      case 'linear':
        return z;
      case 'relu':
        return z > 0 ? z : 0;
      case 'sigmoid':
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      case 'tanh':
        return Math.tanh(z);
    }
  });

describe('dense: the product with a fused bias and activation', () => {
  it('applies bias and activation to the float32 product, on any thread count', () => {
    fc.assert(
      fc.property(
        edgeDim,
        depth,
        edgeDim,
        fc.constantFrom(...activations),
        fc.boolean(),
        fc.nat(),
        (m, k, n, activation, withBias, seed) => {
          fc.pre(m * k * n <= 400_000);
          const spec = matmulSpec(m, k, n);
          const [x, w] = operandsFor(spec, seed);
          const bias = withBias ? randomFloats(seed + 2, n) : undefined;
          const expected = expectedDense(sequentialMatmul(x, w, spec), bias, n, activation);
          exact.forEach((r) =>
            expect(firstDifference(matmulValues(r, x, w, spec, { bias, activation }), expected)).toBe(-1),
          );
          const expectedFused = expectedDense(matmulValues(fused[0], x, w, spec), bias, n, activation);
          fused.forEach((r) =>
            expect(firstDifference(matmulValues(r, x, w, spec, { bias, activation }), expectedFused)).toBe(-1),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
