import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { parityCases } from '@axon/tensor/testing';
import { createWasmBackend, isWasmBackendSupported, type WasmBackend } from '../src/edge/index.js';

let backends: WasmBackend[];
beforeAll(async () => {
  backends = await Promise.all([1, 2].map((threads) => createWasmBackend({ threads })));
});
afterAll(() => Promise.all(backends.map((b) => b.dispose())));

describe('the wasm backend', () => {
  it('is supported on this Node', () => {
    expect(isWasmBackendSupported()).toBe(true);
  });

  it('reports its thread count', () => {
    expect(backends.map((b) => b.threads)).toEqual([1, 2]);
  });

  it.each(parityCases.map((c) => [c.name, c] as const))(
    'passes the parity suite on 1 and 2 threads: %s',
    (_name, c) => {
      backends.forEach((backend) => expect(() => c.run(backend)).not.toThrow());
    },
  );

  it('trains a small MLP to bit-identical parameters on 1 and 2 threads', () => {
    const train = (backend: T.Backend): Float32Array[] => {
      const [k1, k2, k3] = T.split(T.key(5), 3);
      let params = {
        w1: T.normal(k1, [784, 64], { stddev: 0.05, backend }),
        b1: T.zeros([64], { backend }),
        w2: T.normal(k2, [64, 10], { stddev: 0.1, backend }),
        b2: T.zeros([10], { backend }),
      };
      const x = T.uniform(k3, [128, 784], { backend });
      const labels = T.randint(T.key(6), [128], 0, 10);
      const loss = (p: typeof params) =>
        T.mean(T.sparseSoftmaxCrossEntropy(T.dense(T.dense(x, p.w1, p.b1, 'relu'), p.w2, p.b2), labels));
      for (let step = 0; step < 3; step++) {
        const { grads } = T.valueAndGrad(loss)(params);
        params = T.treeZipWith((p: T.Tensor, g: T.Tensor) => T.sub(p, T.mul(g, 0.1)), params, grads);
      }
      return [params.w1, params.b1, params.w2, params.b2].map((p) => Float32Array.from(p.values));
    };
    const [one, two] = backends.map(train);
    one.forEach((values, i) => expect(Array.from(two[i])).toEqual(Array.from(values)));
  });

  it('hands float64 work to the reference backend', () => {
    const a = T.tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64', backend: backends[0] },
    );
    const b = T.tensor([[0.5], [0.25]], { dtype: 'float64', backend: backends[0] });
    const c = T.matmul(a, b);
    expect(c.dtype).toBe('float64');
    expect(Array.from(c.values)).toEqual([1, 2.5]);
  });
});
