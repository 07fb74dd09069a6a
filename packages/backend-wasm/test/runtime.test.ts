import { describe, expect, it } from 'vitest';
import { startWasmRuntime } from '../src/edge/runtime.js';
import { adamValues, matmulValues } from './host-kernels.js';
import { firstDifference, matmulSpec, randomFloats, sequentialMatmul } from './reference.js';

describe('startWasmRuntime', () => {
  it('rejects a thread count or spin that is not a fitting integer', async () => {
    await expect(startWasmRuntime({ threads: 0 })).rejects.toThrow(/threads must be a positive integer/);
    await expect(startWasmRuntime({ threads: 1.5 })).rejects.toThrow(/threads must be a positive integer/);
    await expect(startWasmRuntime({ spin: -1 })).rejects.toThrow(/spin must be an integer/);
  });

  it.each([0, 100_000])(
    'runs many parallel jobs in a row with workers polling %i times before they sleep, then stops them',
    async (spin) => {
      const runtime = await startWasmRuntime({ threads: 3, spin, fma: false });
      const spec = matmulSpec(64, 200, 96);
      const a = randomFloats(1, 64 * 200);
      const b = randomFloats(2, 200 * 96);
      const expected = sequentialMatmul(a, b, spec);
      // Large enough for Adam to run on every thread.
      const grad = randomFloats(3, 40_000);
      const m = randomFloats(4, 40_000);
      const v = grad.map(Math.abs);
      const step = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: 10, correction2: 1000 };
      const direction = adamValues(runtime, grad, m, v, step).direction;
      for (let i = 0; i < 50; i++) {
        expect(firstDifference(matmulValues(runtime, a, b, spec), expected)).toBe(-1);
        expect(firstDifference(adamValues(runtime, grad, m, v, step).direction, direction)).toBe(-1);
      }
      await expect(runtime.dispose()).resolves.toBeUndefined();
    },
  );
});
