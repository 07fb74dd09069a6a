import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendGradientCases } from '@axon/tensor/testing';
import { createWasmBackend, type WasmBackend } from '../src/edge/index.js';

let backend: WasmBackend;
beforeAll(async () => {
  backend = await createWasmBackend({ threads: 2 });
});
afterAll(() => backend.dispose());

describe('gradients through the wasm backend agree with finite differences in float32 tolerances', () => {
  it.each(backendGradientCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(() => c.run(backend)).not.toThrow();
  });
});
