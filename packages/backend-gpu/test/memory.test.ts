import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import * as T from '@axon/tensor';
import type { GpuInstance, GpuKernel, GpuTexture } from '../src/gpujs/gpujs.js';
import { CompiledKernel, KernelCache } from '../src/kernels/cache.js';
import { copyProgram } from '../src/kernels/elementwise.js';
import { Resident, TexturePool } from '../src/device/texture-pool.js';
import { agreesWithReference, gpuBackend, randomTensor, testMode, usesTextures } from './support.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects garbage and lets finalizers run until `done` holds (or gives up). */
const collectUntil = async (done: () => boolean): Promise<void> => {
  for (let round = 0; round < 20 && !done(); round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const fakeKernel = (ranAs = 'cpu', fallbackReason?: string) =>
  Object.assign((): Float32Array => new Float32Array(1), {
    kernel: { constructor: { mode: ranAs }, fallbackReason },
    destroy: vi.fn<() => void>(),
  }) satisfies GpuKernel;

/** A gpu.js instance whose kernels report running in `ranAs`. */
const fakeGpu = (ranAs: string) => {
  const made: ReturnType<typeof fakeKernel>[] = [];
  const gpu: GpuInstance = {
    createKernel: () => {
      made.push(fakeKernel(ranAs, 'kernel maps are not supported'));
      return made[made.length - 1];
    },
    destroy: () => Promise.resolve(),
  };
  return { gpu, made };
};

const fakeTexture = (values: number[]) =>
  ({ size: [1, 1], toArray: () => Float32Array.from(values), delete: vi.fn<() => void>() }) satisfies GpuTexture;

describe('a compiled kernel', () => {
  it('is destroyed exactly once, when retired and none of its outputs is alive', () => {
    const run = fakeKernel();
    const kernel = new CompiledKernel(run);
    kernel.hold();
    kernel.hold();
    kernel.retire();
    kernel.drop();
    expect(run.destroy).not.toHaveBeenCalled();
    kernel.drop();
    expect(run.destroy).toHaveBeenCalledTimes(1);
  });

  it('stays while the cache uses it, whatever its outputs do', () => {
    const run = fakeKernel();
    const kernel = new CompiledKernel(run);
    kernel.hold();
    kernel.drop();
    expect(run.destroy).not.toHaveBeenCalled();
  });
});

describe('the kernel cache', () => {
  it('compiles once per source and operand sizes, and retires the least recently used past its capacity', () => {
    const { gpu, made } = fakeGpu('webasm');
    const cache = new KernelCache(gpu, 'webasm', false, 2);
    const first = cache.get(copyProgram(4), [4]);
    expect(cache.get(copyProgram(4), [4])).toBe(first);
    expect(cache.get(copyProgram(4), [9])).not.toBe(first);
    cache.get(copyProgram(4), [4]);
    cache.get(copyProgram(5), [5]);
    expect(cache.size).toBe(2);
    expect(made.map((k) => k.destroy.mock.calls.length)).toEqual([0, 1, 0]);
  });

  it('refuses a kernel that gpu.js quietly moved to another mode', () => {
    const { gpu } = fakeGpu('cpu');
    const cache = new KernelCache(gpu, 'webasm', false, 2);
    expect(() => cache.checkRanAsMode(cache.get(copyProgram(3), [3]))).toThrow(
      /'cpu' mode instead of 'webasm' \(kernel maps are not supported\)/,
    );
    const gl = new KernelCache(fakeGpu('gpu').gpu, 'headlessgl', true, 2);
    expect(() => gl.checkRanAsMode(gl.get(copyProgram(3), [3]))).not.toThrow();
  });
});

describe('the texture pool', () => {
  const place = (pool: TexturePool, owner: object, values: number[], pinned: ReadonlySet<Resident> = new Set()) => {
    const resident = new Resident(undefined);
    const texture = fakeTexture(values);
    pool.place(owner, resident, { texture, maker: new CompiledKernel(fakeKernel()), bytes: 100 }, pinned);
    return { resident, texture };
  };

  it('above its budget, moves the least recently used unpinned tensors to host memory, down to three quarters', () => {
    const pool = new TexturePool(250);
    const owners = [{}, {}, {}, {}];
    const a = place(pool, owners[0], [1]);
    const b = place(pool, owners[1], [2]);
    pool.touch(a.resident);
    const c = place(pool, owners[2], [3], new Set([b.resident]));
    // b is older than a but pinned, so a goes; its values come back to host memory first.
    expect(a.texture.delete).toHaveBeenCalledTimes(1);
    expect(a.resident.placed).toBeUndefined();
    expect(Array.from(a.resident.hostValues())).toEqual([1]);
    expect(b.resident.placed).toBeDefined();
    expect(c.resident.placed).toBeDefined();
    // Still above 3/4 of the budget, but the rest is pinned or just made.
    expect(pool.bytes).toBe(200);
    const d = place(pool, owners[3], [4]);
    expect([b, c].map((t) => t.texture.delete.mock.calls.length)).toEqual([1, 1]);
    expect(pool.count).toBe(1);
    expect(d.resident.placed).toBeDefined();
  });

  it('deletes the texture of a tensor that was garbage-collected', async () => {
    const pool = new TexturePool(1e9);
    let texture: ReturnType<typeof fakeTexture> | undefined;
    (() => {
      texture = place(pool, {}, [5]).texture;
    })();
    await collectUntil(() => pool.count === 0);
    expect(pool.count).toBe(0);
    expect(texture?.delete).toHaveBeenCalledTimes(1);
  });
});

describe(`memory in gpu.js's ${testMode} mode`, () => {
  it('keeps at most kernelCacheSize kernels, and outputs of retired kernels stay readable', () => {
    const backend = gpuBackend({ kernelCacheSize: 3 });
    const inputs = [5, 6, 7, 8, 9, 10].map((n, i) => randomTensor(i, [n]));
    const outputs = inputs.map((x) => T.neg(T.toBackend(x, backend)));
    expect(backend.usage().kernels).toBeLessThanOrEqual(3);
    outputs.forEach((y, i) => expect(Array.from(y.values)).toEqual(Array.from(T.neg(inputs[i]).values)));
  });

  it.runIf(usesTextures)(
    'moves tensors to host memory above the texture budget, and back when used, without losing values',
    () => {
      const budget = 64 * 1024;
      const backend = gpuBackend({ textureBudgetBytes: budget });
      const x = randomTensor(1, [40, 50]);
      const chain = [T.toBackend(x, backend)];
      for (let i = 0; i < 30; i++) chain.push(T.sin(T.add(chain[i], 0.5)));
      expect(backend.usage().textureBytes).toBeLessThanOrEqual(budget);
      // The first links were evicted long ago; using them uploads them again.
      agreesWithReference(backend, [chain[0], chain[1]], (a, b) => T.mul(a, b), 1e-6);
      let expected = x;
      for (let i = 0; i < 30; i++) expected = T.sin(T.add(expected, 0.5));
      agreesWithReference(backend, [chain[30]], (v) => v, 0);
      expect(
        Array.from(chain[30].values)
          .map((v, i) => Math.abs(v - expected.values[i]) < 1e-5)
          .every(Boolean),
      ).toBe(true);
    },
  );

  it.runIf(usesTextures)('deletes the textures of tensors that were garbage-collected', async () => {
    const backend = gpuBackend();
    const baseline = backend.usage().textures;
    (() => {
      let y = T.toBackend(randomTensor(2, [30, 30]), backend);
      for (let i = 0; i < 40; i++) y = T.tanh(T.mul(y, 1.5));
      expect(backend.usage().textures).toBeGreaterThan(baseline + 40);
    })();
    await collectUntil(() => backend.usage().textures <= baseline);
    expect(backend.usage().textures).toBeLessThanOrEqual(baseline);
  });
});
