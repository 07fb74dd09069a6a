import { describe, expect, it } from 'vitest';
import { parityCases } from '@axon/tensor/testing';
import { gpuBackend, testMode } from './support.js';

const backend = gpuBackend();

describe(`the backend parity suite in gpu.js's ${testMode} mode`, () => {
  it.each(parityCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(() => c.run(backend)).not.toThrow();
  });
});
