import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGpuBackend } from '@axon/backend-gpu';
import type { Backend } from '@axon/tensor';
import { assertDifferentiableMoves } from '@axon/tensor/testing';
import { createWasmBackend, type WasmBackend } from '../src/edge/index.js';

// Moves to and from the reference backend are checked in each backend's own gradient
// suite; this one moves between the two accelerated backends directly.

let wasm: WasmBackend;
beforeAll(async () => {
  wasm = await createWasmBackend({ threads: 1 });
});
afterAll(() => wasm.dispose());

const gpuJs = (): Backend => {
  const choice = createGpuBackend({ mode: 'webasm' });
  if (choice._tag === 'Left') throw new Error(choice.left);
  return choice.right.backend;
};

describe('toBackend between wasm and gpu.js (webasm mode)', () => {
  it('is an identity for gradients of every order, both ways', () => {
    expect(() => assertDifferentiableMoves(wasm, gpuJs())).not.toThrow();
  });
});
