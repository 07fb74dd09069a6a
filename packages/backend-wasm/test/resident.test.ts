import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { adam, evaluate, fit, initTrainState, layers, losses, predict } from '@axon/nn';
import { createWasmBackend, ReleasedStorageError, type WasmBackend } from '../src/edge/index.js';
import { sizeClass } from '../src/runtime/heap.js';

let backend: WasmBackend;
beforeAll(async () => {
  backend = await createWasmBackend({ threads: 2 });
});
afterAll(() => backend.dispose());

const transfers = () => backend.usage().transfers;
const live = () => backend.usage().heap.liveBytes;

/** Float32 values on the host, and the same as a tensor given to the wasm backend. */
const hostAndWasm = (seed: number, shape: number[]): [T.Tensor<'float32'>, T.Tensor<'float32'>] => {
  const host = T.uniform(T.key(seed), shape, { minval: -1, maxval: 1 });
  return [host, T.toBackend(host, backend)];
};

describe('tensors resident in wasm memory', () => {
  it('upload host values once per array, whichever tensor wraps them; an array used in several scopes keeps its second upload', () => {
    const [host] = hostAndWasm(9, [16, 16]);
    const [large] = hostAndWasm(10, [256, 128]);
    const product = (x: T.Tensor) => T.matmul(T.toBackend(x, backend), T.toBackend(x, backend), { transposeB: true });
    const before = transfers().uploads;
    product(host);
    product(host);
    expect(transfers().uploads - before).toBe(1);
    const scoped = (x: T.Tensor) =>
      T.withReleaseScope(
        [backend],
        () => product(x),
        () => undefined,
      );
    const start = live();
    scoped(large);
    expect(live()).toBe(start);
    scoped(large);
    scoped(large);
    expect(transfers().uploads - before).toBe(3);
    expect(live() - start).toBe(sizeClass(256 * 128 * 4));
    // Arrays made for one scope only (values a reference kernel computed in a step) go with it, whatever their size.
    scoped(T.tensor(large.values.slice(), { shape: large.shape }));
    scoped(T.tensor(host.values.slice(), { shape: host.shape }));
    expect(transfers().uploads - before).toBe(5);
    expect(live() - start).toBe(sizeClass(256 * 128 * 4));
  });

  it('go from kernel to kernel without a copy, and are copied out once, when read', () => {
    const [, x] = hostAndWasm(1, [64, 100]);
    const [, w] = hostAndWasm(2, [100, 32]);
    const [, b] = hostAndWasm(3, [32]);
    const before = transfers();
    const h = (input: T.Tensor<'float32'>, kernel: T.Tensor<'float32'>, bias: T.Tensor<'float32'>) =>
      T.dense(input, kernel, bias, 'relu');
    const y = T.matmul(h(x, w, b), h(x, w, b), { transposeB: true });
    const middle = transfers();
    // The inputs were uploaded once each (x, w and b are used twice); nothing came out.
    expect(middle.uploads - before.uploads).toBe(3);
    expect(middle.downloads - before.downloads).toBe(0);
    const onJs = (t: T.Tensor<'float32'>) => T.toBackend(t, T.jsBackend);
    const expected = T.matmul(h(onJs(x), onJs(w), onJs(b)), h(onJs(x), onJs(w), onJs(b)), { transposeB: true }).values;
    y.values.forEach((v, i) =>
      expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(expected[i]))),
    );
    y.toArray();
    expect(transfers().downloads - middle.downloads).toBe(1);
  });

  it('gathers rows of a host data set straight into wasm memory', () => {
    const [host, data] = hostAndWasm(4, [50, 7]);
    const indices = T.tensor([3, 49, 0, 3], { dtype: 'int32' });
    const before = transfers();
    const rows = T.gather(data, indices);
    const after = transfers();
    expect(after.uploads - before.uploads).toBe(0);
    expect(after.gatheredBytes - before.gatheredBytes).toBe(4 * 7 * 4);
    expect(Array.from(rows.values)).toEqual(Array.from(T.gather(host, indices).values));
    const block = T.slice(data, [10, 0], [5, 7]);
    expect(Array.from(block.values)).toEqual(Array.from(T.slice(host, [10, 0], [5, 7]).values));
    expect(transfers().uploads).toBe(after.uploads);
  });

  it('gathers and slices rows of a byte-coded data set, decoded on the way, without decoding the rest', () => {
    const unit = Float32Array.from({ length: 256 }, (_, v) => v * (1 / 255));
    // An odd byte offset, as a decompressed IDX file's pixels have one.
    const codes = Uint8Array.from({ length: 3 + 50 * 7 }, (_, i) => (i * 101) & 255).subarray(3);
    const host = T.byteCoded(codes, unit, [50, 7]);
    const data = T.toBackend(host, backend);
    expect(data.storage).toBe(host.storage);
    const floats = T.tensor(
      Float32Array.from(codes, (c) => unit[c]),
      { shape: [50, 7] },
    );
    const indices = T.tensor([3, 49, 0, 3], { dtype: 'int32' });
    const before = transfers();
    const rows = T.gather(data, indices);
    const block = T.slice(data, [10, 0], [5, 7]);
    expect(transfers().uploads).toBe(before.uploads);
    expect(transfers().gatheredBytes - before.gatheredBytes).toBe((4 + 5) * 7 * 4);
    expect(Array.from(rows.values)).toEqual(Array.from(T.gather(floats, indices).values));
    expect(Array.from(block.values)).toEqual(Array.from(T.slice(floats, [10, 0], [5, 7]).values));
  });

  it('are freed when a release scope closes, except what it keeps; freed ones refuse to be used', () => {
    const [, w] = hostAndWasm(5, [30, 30]);
    const start = live();
    let dropped: T.Tensor | undefined;
    const kept = T.withReleaseScope(
      [backend],
      () => {
        dropped = T.matmul(w, w);
        return { result: T.matmul(dropped, w) };
      },
      (r) => r.result,
    );
    // Left behind: the kept product. w's upload, small, went with the scope.
    expect(live() - start).toBe(sizeClass(30 * 30 * 4));
    expect(Array.from(kept.result.values)).toEqual(Array.from(T.matmul(T.matmul(w, w), w).values));
    expect(() => dropped?.values).toThrow(ReleasedStorageError);
    expect(() => T.add(dropped as T.Tensor, 1)).toThrow(/memory was released/);
  });

  it('frees everything a scope made when its function throws', () => {
    const [, w] = hostAndWasm(6, [20, 20]);
    T.matmul(w, w); // the upload of w, made outside the scope
    const start = live();
    expect(() =>
      T.withReleaseScope(
        [backend],
        () => {
          T.matmul(T.matmul(w, w), w);
          throw new Error('boom');
        },
        () => undefined,
      ),
    ).toThrow('boom');
    expect(live()).toBe(start);
  });

  it('hand what an inner scope keeps to the enclosing scope', () => {
    const [, w] = hostAndWasm(7, [10, 10]);
    T.matmul(w, w);
    const start = live();
    let inner: T.Tensor | undefined;
    T.withReleaseScope(
      [backend],
      () => {
        inner = T.withReleaseScope(
          [backend],
          () => T.matmul(w, w),
          (r) => r,
        );
        expect(live()).toBeGreaterThan(start);
      },
      () => undefined,
    );
    expect(live()).toBe(start);
    expect(() => inner?.values).toThrow(ReleasedStorageError);
  });

  it('are freed by the garbage collector when no scope frees them', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const [, w] = hostAndWasm(8, [200, 200]);
    T.matmul(w, w);
    const start = live();
    (() => {
      for (let i = 0; i < 20; i++) T.matmul(w, w);
    })();
    const block = sizeClass(200 * 200 * 4);
    const made = live();
    expect(made - start).toBe(20 * block);
    // Finalizers run in a later turn of the event loop, after a full collection.
    for (let round = 0; round < 20 && made - live() < 20 * block; round++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(made - live()).toBeGreaterThanOrEqual(20 * block);
  });
});

describe('fit on the wasm backend', () => {
  const mlp = layers.sequential([layers.dense(16, { activation: 'relu' }), layers.dense(3, { activation: 'softmax' })]);
  const plan = { model: mlp, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-2) };
  const data = {
    x: T.uniform(T.key(10), [200, 12]),
    y: T.randint(T.key(11), [200], 0, 3),
  };

  it('keeps its memory flat from epoch to epoch and leaves only the final state behind', async () => {
    const initial = initTrainState(plan, T.key(0), [12], { backend });
    const heapAfterEpoch: number[] = [];
    const start = live();
    const { state } = await fit(plan, initial, data, {
      epochs: 4,
      batchSize: 32,
      callbacks: [{ onEpochEnd: () => void heapAfterEpoch.push(backend.usage().heap.heapBytes) }],
    });
    // Each epoch's state stays until the garbage collector takes it (onEpochEnd may keep
    // it), but nothing a step makes outlives the step: 7 steps an epoch would show.
    const stateBlocks = T.tensorsIn(state).reduce((n, t) => n + sizeClass(t.size * 4), 0);
    expect(heapAfterEpoch[3] - heapAfterEpoch[1]).toBeLessThanOrEqual(2 * stateBlocks);
    // The final state, the states handed to onEpochEnd, and the uploads of the initial params.
    expect(live() - start).toBeLessThanOrEqual(6 * stateBlocks);
  });

  it('keeps valid the states it hands out, and frees the others without changing a bit of the result', async () => {
    const seen: T.TensorTree[] = [];
    const handingOut = await fit(plan, initTrainState(plan, T.key(1), [12], { backend }), data, {
      epochs: 3,
      batchSize: 50,
      callbacks: [{ onEpochEnd: (event) => void seen.push(event.state.params) }],
    });
    const freeing = await fit(plan, initTrainState(plan, T.key(1), [12], { backend }), data, {
      epochs: 3,
      batchSize: 50,
    });
    const values = (params: T.TensorTree) => T.treeLeaves(params).map((p) => Array.from(p.values));
    expect(seen).toHaveLength(3);
    seen.forEach((params) => expect(values(params).flat().every(Number.isFinite)).toBe(true));
    expect(values(seen[2])).toEqual(values(handingOut.state.params));
    expect(values(freeing.state.params)).toEqual(values(handingOut.state.params));
  });

  it('evaluate and predict free each batch before the next: their memory does not grow with the number of batches', () => {
    const { params } = initTrainState(plan, T.key(2), [12], { backend });
    const many = { x: T.uniform(T.key(12), [800, 12]), y: T.randint(T.key(13), [800], 0, 3) };
    const peakOf = (run: () => unknown): number => {
      run();
      return backend.usage().heap.heapBytes;
    };
    // Once for the heap to reach its working size, then with 4 and with 40 batches.
    peakOf(() => evaluate(mlp, plan.loss, params, many, { batchSize: 20 }));
    const heap = backend.usage().heap.heapBytes;
    expect(peakOf(() => evaluate(mlp, plan.loss, params, many, { batchSize: 200 }))).toBeLessThanOrEqual(
      heap + 64 * 1024,
    );
    expect(peakOf(() => evaluate(mlp, plan.loss, params, many, { batchSize: 20 }))).toBe(
      backend.usage().heap.heapBytes,
    );
    const start = live();
    const out = predict(mlp, params, many.x, { batchSize: 20 });
    // The joined output stays; the 40 batches' outputs and intermediates went.
    expect(live() - start).toBeLessThanOrEqual(sizeClass(800 * 3 * 4) + 4096);
    expect(out.shape).toEqual([800, 3]);
  });
});
