import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FusedActivation, MatmulSpec } from '@axon/tensor';
import { startWasmRuntime } from '../src/edge/runtime.js';
import type { WasmRuntime } from '../src/runtime/runtime.js';
import { MIN_ZERO_SKIPPING_DEPTH, MIN_ZERO_SKIPPING_WIDTH, type ProductPath } from '../src/kernels/matmul.js';
import { matmulValues } from './host-kernels.js';
import { matmulSpec, matmulSpecArb, randomFloats } from './reference.js';

/** Runtimes on 1 and 2 threads, fused multiply-adds (`fused`) or not (`exact`). */
let exact: WasmRuntime[];
let fused: WasmRuntime[];

beforeAll(async () => {
  exact = await Promise.all([1, 2].map((threads) => startWasmRuntime({ threads, fma: false })));
  fused = await Promise.all([1, 2].map((threads) => startWasmRuntime({ threads })));
});
afterAll(() => Promise.all([...exact, ...fused].map((r) => r.dispose())));

/** The values' bits, so that -0 differs from +0 and NaN payloads count. */
const bits = (values: Float32Array): Uint32Array => new Uint32Array(values.buffer, values.byteOffset, values.length);

/** Index of the first element whose bits differ, or -1. */
const firstBitDifference = (x: Float32Array, y: Float32Array): number => {
  if (x.length !== y.length) return 0;
  const [u, v] = [bits(x), bits(y)];
  return u.findIndex((word, i) => word !== v[i]);
};

/** Random floats with about `density` of them nonzero (the zeros of either sign). */
const sparseFloats = (seed: number, n: number, density: number): Float32Array => {
  const values = randomFloats(seed, n);
  const draws = randomFloats(seed + 7, n, 0, 1);
  return values.map((v, i) => (draws[i] < density ? v : draws[i] < (1 + density) / 2 ? 0 : -0));
};

const edgeDim = fc.oneof(fc.constantFrom(1, 3, 4, 5, 8, 10, 17, 32, 33, 127, 129), fc.integer({ min: 1, max: 40 }));
const depth = fc.oneof(fc.constantFrom(1, 3, 4, 17, 255, 257, 785), fc.integer({ min: 1, max: 40 }));
const specArb = matmulSpecArb(edgeDim, depth, 600_000);
const activations: readonly FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];

const operandsFor = (spec: MatmulSpec, seed: number, density: number): [Float32Array, Float32Array] => [
  sparseFloats(seed, (spec.aBatched ? spec.batch : 1) * spec.m * spec.k, density),
  randomFloats(seed + 1, (spec.bBatched ? spec.batch : 1) * spec.k * spec.n),
];

const run = (
  runtime: WasmRuntime,
  [a, b]: [Float32Array, Float32Array],
  spec: MatmulSpec,
  path: ProductPath,
  epilogue?: { bias?: Float32Array; activation: FusedActivation },
) => matmulValues(runtime, a, b, spec, epilogue, path);

describe('products that skip the zeros of A', () => {
  it('equal the dense product bit for bit: any shape, density, transpose, batch layout, epilogue, thread count, fused or not', () => {
    fc.assert(
      fc.property(
        specArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(...activations),
        fc.boolean(),
        fc.nat(),
        (spec, density, activation, withBias, seed) => {
          const operands = operandsFor(spec, seed, density);
          // The fused bias and activation apply to the dense-batched layout only (as `dense` uses them).
          const epilogue =
            spec.batch === 1 ? { activation, bias: withBias ? randomFloats(seed + 2, spec.n) : undefined } : undefined;
          [exact, fused].forEach((group) => {
            const dense = run(group[0], operands, spec, 'dense', epilogue);
            group.forEach((runtime) => {
              expect(firstBitDifference(run(runtime, operands, spec, 'skip-zeros', epilogue), dense)).toBe(-1);
              expect(firstBitDifference(run(runtime, operands, spec, 'auto', epilogue), dense)).toBe(-1);
            });
          });
        },
      ),
      { numRuns: 80 },
    );
  });

  it('keep the dense results where B holds infinities or NaN (0 · inf is NaN)', () => {
    fc.assert(
      fc.property(
        specArb,
        fc.constantFrom(Infinity, -Infinity, Number.NaN),
        fc.nat(),
        fc.nat(),
        (spec, special, where, seed) => {
          const [a, b] = operandsFor(spec, seed, 0.2);
          b[where % b.length] = special;
          fused.concat(exact).forEach((runtime) => {
            const dense = run(runtime, [a, b], spec, 'dense');
            expect(firstBitDifference(run(runtime, [a, b], spec, 'skip-zeros'), dense)).toBe(-1);
          });
        },
      ),
      { numRuns: 30 },
    );
    // [[1, 0]] · [[1], [inf]]: the skipped 0 · inf makes the dense result NaN.
    const a = Float32Array.from([1, 0]);
    const b = Float32Array.from([1, Infinity]);
    fused.concat(exact).forEach((runtime) => {
      expect(run(runtime, [a, b], matmulSpec(1, 2, 1), 'skip-zeros')[0]).toBeNaN();
    });
  });

  it('keep the sign of a zero that a fused multiply-add underflows to, by falling back on tiny values', () => {
    // -2^-80 · 2^-80 fuses to -0; the dense product then adds 0 · 1 = +0, which makes it +0.
    const a = Float32Array.from([-(2 ** -80), 0]);
    const b = Float32Array.from([2 ** -80, 1]);
    const spec = matmulSpec(1, 2, 1);
    fused.forEach((runtime) => {
      const dense = run(runtime, [a, b], spec, 'dense');
      expect(Object.is(dense[0], 0)).toBe(true);
      expect(firstBitDifference(run(runtime, [a, b], spec, 'skip-zeros'), dense)).toBe(-1);
    });
    // Tiny and subnormal values anywhere, at random.
    fc.assert(
      fc.property(specArb, fc.nat(), fc.nat(), fc.boolean(), (spec, seed, where, subnormal) => {
        const [a, b] = operandsFor(spec, seed, 0.3);
        const scale = subnormal ? 2 ** -140 : 2 ** -60;
        const scaled = seed % 2 === 0 ? a : b;
        scaled.forEach((v, i) => {
          if (i % 3 === where % 3) scaled[i] = v * scale;
        });
        fused.concat(exact).forEach((runtime) => {
          const dense = run(runtime, [a, b], spec, 'dense');
          expect(firstBitDifference(run(runtime, [a, b], spec, 'skip-zeros'), dense)).toBe(-1);
        });
      }),
      { numRuns: 30 },
    );
  });

  it('write zeros for an all-zero A and for k = 0', () => {
    const spec = matmulSpec(3, 5, 9);
    fused.forEach((runtime) => {
      const c = run(runtime, [new Float32Array(15), randomFloats(1, 45)], spec, 'skip-zeros');
      expect(firstBitDifference(c, new Float32Array(27))).toBe(-1);
      const empty = run(runtime, [new Float32Array(0), new Float32Array(0)], matmulSpec(3, 0, 9), 'skip-zeros');
      expect(firstBitDifference(empty, new Float32Array(27))).toBe(-1);
    });
  });

  it('are chosen for mostly-zero products at least as wide and deep as the thresholds, never for shallower or narrower ones', () => {
    const runtime = fused[1];
    const skips = (m: number, k: number, n: number): boolean => {
      const before = runtime.products.skippingZeros;
      run(runtime, operandsFor(matmulSpec(m, k, n), m + k + n, 0.19), matmulSpec(m, k, n), 'auto');
      return runtime.products.skippingZeros > before;
    };
    const [deep, wide] = [MIN_ZERO_SKIPPING_DEPTH, MIN_ZERO_SKIPPING_WIDTH];
    expect(skips(256, deep, wide)).toBe(true);
    expect(skips(256, 784, 128)).toBe(true);
    expect(skips(256, deep - 1, wide)).toBe(false);
    expect(skips(256, 9, 32)).toBe(false); // the convnet's first layer: 3×3 windows of one channel
    expect(skips(256, deep, wide - 1)).toBe(false);
  });
});
