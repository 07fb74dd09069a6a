import { describe, expect, it } from 'vitest';
import { backendGradientCases } from '@axon/tensor/testing';
import { gpuBackend, testMode } from './support.js';

const backend = gpuBackend();

describe(`gradients through gpu.js's ${testMode} mode agree with finite differences in float32 tolerances`, () => {
  it.each(backendGradientCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(() => c.run(backend)).not.toThrow();
  });
});
