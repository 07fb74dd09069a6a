import { describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { expectAgree, gpuBackend, testMode } from './support.js';

const names = ['w1', 'b1', 'w2', 'b2'] as const;
type Params = Record<(typeof names)[number], T.Tensor>;

const [k1, k2, k3] = T.split(T.key(11), 3);
const initial: Params = {
  w1: T.normal(k1, [784, 32], { stddev: 0.05 }),
  b1: T.zeros([32]),
  w2: T.normal(k2, [32, 10], { stddev: 0.2 }),
  b2: T.zeros([10]),
};
const images = T.uniform(k3, [64, 784]);
const labels = T.randint(T.key(12), [64], 0, 10);

const loss =
  (x: T.Tensor, y: T.Tensor) =>
  (p: Params): T.Tensor =>
    T.mean(T.sparseSoftmaxCrossEntropy(T.dense(T.dense(x, p.w1, p.b1, 'relu'), p.w2, p.b2), y));

/**
 * Three Adam steps (learning rate 1e-3) of the MNIST-shaped MLP on `backend`: losses,
 * first gradients, final parameters. Adam's epsilon is 1e-3 here: its direction
 * g / (|g| + epsilon) multiplies a gradient's error by up to 1 / (4 epsilon), so with
 * the usual 1e-7 an element whose gradient nearly cancels turns float32 rounding
 * (~1e-8 of the largest gradient on any float32 device) into a visibly different
 * step, and element-wise agreement would measure that amplification, not the kernels.
 */
const train = (backend: T.Backend) => {
  let params = T.toBackend(initial, backend);
  const x = T.toBackend(images, backend);
  const y = T.toBackend(labels, backend);
  let m = T.treeMap(params, T.zerosLike);
  let v = T.treeMap(params, T.zerosLike);
  const losses: T.Tensor[] = [];
  const grads: Params[] = [];
  for (let t = 1; t <= 3; t++) {
    const result = T.valueAndGrad(loss(x, y))(params);
    losses.push(result.value);
    grads.push(result.grads);
    const step = {
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-3,
      correction1: 1 / (1 - 0.9 ** t),
      correction2: 1 / (1 - 0.999 ** t),
    };
    const next = { params: { ...params }, m: { ...m }, v: { ...v } };
    for (const name of names) {
      const update = T.adamStep(result.grads[name], m[name], v[name], step);
      next.params[name] = T.sub(params[name], T.mul(update.direction, 1e-3));
      next.m[name] = update.m;
      next.v[name] = update.v;
    }
    ({ params, m, v } = next);
  }
  return { losses, firstGrads: grads[0], params };
};

describe(`a training step in gpu.js's ${testMode} mode`, () => {
  it('matches the reference backend: losses, gradients and the parameters after three Adam steps', () => {
    const backend = gpuBackend();
    const gpu = train(backend);
    const reference = train(T.jsBackend);
    gpu.losses.forEach((l, i) => expectAgree(l, reference.losses[i], 1e-5));
    names.forEach((name) => {
      expectAgree(gpu.firstGrads[name], reference.firstGrads[name], 1e-4);
      expectAgree(gpu.params[name], reference.params[name], 1e-5);
    });
    expect(gpu.params.w1.backend).toBe(backend);
    expect(gpu.losses[2].item()).toBeLessThan(gpu.losses[0].item());
  });
});
