import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostStorage, jsBackend, type FusedActivation } from '@axon/tensor';
import { startWasmRuntime } from '../src/edge/runtime.js';
import type { WasmRuntime } from '../src/runtime/runtime.js';
import {
  activationGradValues,
  adamValues,
  binaryValues,
  reluValues,
  sparseSoftmaxCrossEntropyGradValues,
  sparseSoftmaxCrossEntropyValues,
  sumRowsValues,
} from './host-kernels.js';
import type { WasmBinaryOp } from '../src/kernels/codes.js';
import { matrixLayout } from '../src/kernels/broadcast.js';
import { firstDifference, randomFloats } from './reference.js';

let runtimes: WasmRuntime[];
beforeAll(async () => {
  runtimes = await Promise.all([1, 2].map((threads) => startWasmRuntime({ threads })));
});
afterAll(() => Promise.all(runtimes.map((r) => r.dispose())));

const f32 = (values: Float32Array) => hostStorage('float32', values);

/** Lengths around the vector width and the thread split. */
const length = fc.oneof(fc.integer({ min: 0, max: 70 }), fc.constantFrom(1027, 40_001, 100_352));
const activations: readonly FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];

/** Special values mixed into random data: the kernels must treat them as the reference does. */
const withSpecials = (values: Float32Array): Float32Array => {
  const specials = [0, -0, Number.NaN, Infinity, -Infinity, 1, -1];
  specials.forEach((v, i) => {
    if (i * 7 < values.length) values[i * 7] = v;
  });
  return values;
};

describe('element-wise kernels equal the reference backend bit for bit', () => {
  it('activationGrad, for every activation', () => {
    fc.assert(
      fc.property(length, fc.constantFrom(...activations), fc.nat(), (n, activation, seed) => {
        const dy = withSpecials(randomFloats(seed, n));
        const y = randomFloats(seed + 1, n, -1.5, 1.5);
        const expected = jsBackend.activationGrad(activation, f32(dy), f32(y)).read();
        expect(firstDifference(activationGradValues(runtimes[0], activation, dy, y), expected)).toBe(-1);
      }),
    );
  });

  it('relu, including -0, NaN and infinities', () => {
    fc.assert(
      fc.property(length, fc.nat(), (n, seed) => {
        const x = withSpecials(randomFloats(seed, n));
        expect(firstDifference(reluValues(runtimes[0], x), jsBackend.unary('relu', f32(x)).read())).toBe(-1);
      }),
    );
  });

  it('add, sub and mul of a full matrix and a full matrix, a row, a column or a value, on either side', () => {
    const ops: readonly WasmBinaryOp[] = ['add', 'sub', 'mul'];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 37 }),
        fc.constantFrom(...ops),
        fc.nat(),
        (rows, cols, op, seed) => {
          const shape = [rows, cols];
          const full = withSpecials(randomFloats(seed, rows * cols));
          const others: [Float32Array, number[]][] = [
            [randomFloats(seed + 1, rows * cols), shape],
            [randomFloats(seed + 2, cols), [cols]],
            [randomFloats(seed + 3, rows), [rows, 1]],
            [randomFloats(seed + 4, 1), []],
          ];
          others.forEach(([other, otherShape]) => {
            const pairs: [Float32Array, number[], Float32Array, number[]][] = [
              [full, shape, other, otherShape],
              [other, otherShape, full, shape],
            ];
            pairs.forEach(([a, aShape, b, bShape]) => {
              const layout = matrixLayout(aShape, bShape, shape);
              expect(layout).toBeDefined();
              if (layout === undefined) return;
              const expected = jsBackend.binary(op, f32(a), aShape, f32(b), bShape, shape).read();
              expect(firstDifference(binaryValues(runtimes[0], op, layout, a, b), expected)).toBe(-1);
            });
          });
        },
      ),
    );
  });

  it('column sums (the bias gradient), summed in double precision', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 41 }), fc.nat(), (rows, cols, seed) => {
        const x = randomFloats(seed, rows * cols, -1e4, 1e4);
        const expected = jsBackend.reduce('sum', f32(x), 1, rows, cols).read();
        expect(firstDifference(sumRowsValues(runtimes[0], x, rows, cols), expected)).toBe(-1);
      }),
    );
  });

  it('Adam, on one thread and split across two', () => {
    fc.assert(
      fc.property(length, fc.integer({ min: 1, max: 1000 }), fc.nat(), (n, t, seed) => {
        const grad = withSpecials(randomFloats(seed, n));
        const m = randomFloats(seed + 1, n, -0.1, 0.1);
        const v = randomFloats(seed + 2, n, 0, 0.01);
        const step = {
          beta1: 0.9,
          beta2: 0.999,
          epsilon: 1e-7,
          correction1: 1 / (1 - 0.9 ** t),
          correction2: 1 / (1 - 0.999 ** t),
        };
        const expected = jsBackend.adam(f32(grad), f32(m), f32(v), step);
        runtimes.forEach((runtime) => {
          const actual = adamValues(runtime, grad, m, v, step);
          expect(firstDifference(actual.direction, expected.direction.read())).toBe(-1);
          expect(firstDifference(actual.m, expected.m.read())).toBe(-1);
          expect(firstDifference(actual.v, expected.v.read())).toBe(-1);
        });
      }),
      { numRuns: 30 },
    );
  });

  it('sparse softmax cross-entropy and its gradient', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 130 }), fc.integer({ min: 1, max: 40 }), fc.nat(), (rows, cols, seed) => {
        const logits = randomFloats(seed, rows * cols, -30, 30);
        const labels = Int32Array.from({ length: rows }, (_, r) => (seed + r * 7) % cols);
        const dLoss = randomFloats(seed + 1, rows);
        const labelStorage = hostStorage('int32', labels);
        const loss = jsBackend.sparseSoftmaxCrossEntropy(f32(logits), labelStorage, rows, cols).read();
        const grad = jsBackend.sparseSoftmaxCrossEntropyGrad(f32(logits), labelStorage, f32(dLoss), rows, cols).read();
        expect(firstDifference(sparseSoftmaxCrossEntropyValues(runtimes[0], logits, labels, rows, cols), loss)).toBe(
          -1,
        );
        expect(
          firstDifference(sparseSoftmaxCrossEntropyGradValues(runtimes[0], logits, labels, dLoss, rows, cols), grad),
        ).toBe(-1);
      }),
    );
  });
});
