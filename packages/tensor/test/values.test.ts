import { describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';

const f64 = { dtype: 'float64' as const };

describe('creation', () => {
  it('builds from nested arrays and typed arrays, inferring dtypes as TensorFlow.js does', () => {
    expect(
      T.tensor([
        [1, 2],
        [3, 4],
      ]).dtype,
    ).toBe('float32');
    expect(T.tensor([true, false]).dtype).toBe('bool');
    expect(T.tensor(new Float64Array(2)).dtype).toBe('float64');
    expect(T.tensor(new Uint8Array([1, 200])).dtype).toBe('int32');
    expect(T.tensor(new Uint8Array([1, 200])).toArray()).toEqual([1, 200]);
    expect(T.tensor(7).shape).toEqual([]);
    expect(T.tensor([[], []]).shape).toEqual([2, 0]);
  });

  it('has the NumPy creation functions', () => {
    expect(T.eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(T.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(T.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(T.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(T.linspace(0, 1, 5, f64).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(T.full([2], 3, { dtype: 'int32' }).toArray()).toEqual([3, 3]);
    expect(T.zerosLike(T.ones([2, 1], f64)).dtype).toBe('float64');
  });
});

describe('element-wise values', () => {
  it('matches Math for unary ops, with the documented conventions', () => {
    const x = T.tensor([-2, -0.5, 0, 0.5, 2.5], f64);
    expect(T.relu(x).toArray()).toEqual([0, 0, 0, 0.5, 2.5]);
    expect(T.relu(T.tensor([-Infinity, Infinity, NaN])).toArray()).toEqual([0, Infinity, NaN]);
    expect(T.round(x).toArray()).toEqual([-2, -0, 0, 0, 2]);
    expect(T.sign(x).toArray()).toEqual([-1, -1, 0, 1, 1]);
    expect(T.leakyRelu(x, 0.1).toArray()).toEqual([-0.2, -0.05, 0, 0.5, 2.5]);
    const sig = T.sigmoid(T.tensor([-800, 0, 800], f64)).toArray();
    expect(sig).toEqual([0, 0.5, 1]);
    expect(T.softplus(T.tensor([-800, 800], f64)).toArray()).toEqual([0, 800]);
    expect(T.gelu(T.tensor([1], f64)).item()).toBeCloseTo(0.8413447460685429, 15);
    expect(T.erf(T.tensor([0.5], f64)).item()).toBeCloseTo(0.5204998778130465, 15);
  });

  it('propagates NaN through maximum, max and argmax as NumPy does', () => {
    expect(T.maximum(T.tensor([NaN, 1]), T.tensor([0, NaN])).toArray()).toEqual([NaN, NaN]);
    expect(T.max(T.tensor([1, NaN, 3])).item()).toBeNaN();
    expect(T.argmax(T.tensor([1, NaN, 3])).item()).toBe(1);
    expect(T.isNaN(T.tensor([1, NaN])).toArray()).toEqual([0, 1]);
    expect(T.isFinite(T.tensor([1, Infinity, NaN])).toArray()).toEqual([1, 0, 0]);
  });

  it('compares into bool masks and selects with where', () => {
    const a = T.tensor([1, 2, 3]);
    const mask = T.greaterEqual(a, 2);
    expect(mask.dtype).toBe('bool');
    expect(mask.toArray()).toEqual([0, 1, 1]);
    expect(T.where(mask, a, T.neg(a)).toArray()).toEqual([-1, 2, 3]);
  });
});

describe('reductions and layout', () => {
  const x = T.tensor(
    [
      [1, 5, 3],
      [4, 2, 6],
    ],
    f64,
  );

  it('reduces over chosen axes with keepDims', () => {
    expect(T.sum(x).item()).toBe(21);
    expect(T.sum(x, 0).toArray()).toEqual([5, 7, 9]);
    expect(T.mean(x, 1, { keepDims: true }).toArray()).toEqual([[3], [4]]);
    expect(T.max(x, [0, 1]).item()).toBe(6);
    expect(T.min(x, 0).toArray()).toEqual([1, 2, 3]);
    expect(T.argmax(x, 1).toArray()).toEqual([1, 2]);
    expect(T.argmin(x, 0).dtype).toBe('int32');
    const cube = T.reshape(T.arange(24, undefined, 1, f64), [2, 3, 4]);
    expect(T.sum(cube, [0, 2]).toArray()).toEqual([60, 92, 124]);
  });

  it('reshapes, transposes, slices, pads, concatenates, stacks and gathers', () => {
    expect(T.transpose(x).toArray()).toEqual([
      [1, 4],
      [5, 2],
      [3, 6],
    ]);
    expect(T.transpose(T.reshape(T.arange(6), [1, 2, 3]), [2, 0, 1]).shape).toEqual([3, 1, 2]);
    expect(T.slice(x, [0, 1], [2, -1]).toArray()).toEqual([
      [5, 3],
      [2, 6],
    ]);
    expect(
      T.pad(
        T.tensor([[1]]),
        [
          [1, 0],
          [0, 1],
        ],
        9,
      ).toArray(),
    ).toEqual([
      [9, 9],
      [1, 9],
    ]);
    expect(T.concat([x, x], 0).shape).toEqual([4, 3]);
    expect(T.stack([T.tensor([1, 2]), T.tensor([3, 4])], 1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(T.gather(x, T.tensor([[2, 0]], { dtype: 'int32' }), 1).toArray()).toEqual([[[3, 1]], [[6, 4]]]);
    expect(T.oneHot(T.tensor([2, 0, 5], { dtype: 'int32' }), 3).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 0, 0],
    ]);
    expect(T.squeeze(T.zeros([1, 2, 1])).shape).toEqual([2]);
    expect(T.broadcastTo(T.tensor([1, 2]), [2, 2]).toArray()).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(T.cast(T.tensor([1.7, -1.7, 0]), 'int32').toArray()).toEqual([1, -1, 0]);
  });
});

describe('grad', () => {
  it('returns gradients with the structure of nested arguments', () => {
    const params = { layers: [{ w: T.tensor([1, 2], f64) }, { w: T.tensor([3], f64) }], scale: T.tensor(2, f64) };
    const f = (p: typeof params, offset: number) =>
      T.mul(p.scale, T.add(T.sum(T.square(p.layers[0].w)), T.sum(T.mul(p.layers[1].w, offset))));
    const { value, grads } = T.valueAndGrad(f)(params, 10);
    expect(value.item()).toBe(2 * (1 + 4 + 30));
    expect(grads.layers[0].w.toArray()).toEqual([4, 8]);
    expect(grads.layers[1].w.toArray()).toEqual([20]);
    expect(grads.scale.item()).toBe(35);
  });

  it('gives zeros for arguments the value does not depend on, and respects stopGradient', () => {
    const g = T.grad((p: { a: T.Tensor; b: T.Tensor }) => T.sum(T.mul(p.a, T.stopGradient(p.a))))({
      a: T.tensor([3], f64),
      b: T.tensor([1, 2], f64),
    });
    expect(g.a.toArray()).toEqual([3]);
    expect(g.b.toArray()).toEqual([0, 0]);
  });

  it('returns aux values without their trace', () => {
    const { value, aux } = T.valueAndGradWithAux((w: T.Tensor) => {
      const y = T.mul(w, 3);
      return [T.sum(y), { y }] as const;
    })(T.tensor([1, 2], f64));
    expect(value.item()).toBe(9);
    expect(aux.y.node).toBeUndefined();
  });

  it("keeps relu'(0) = 0", () => {
    expect(T.grad((x: T.Tensor) => T.sum(T.relu(x)))(T.tensor([0, 1], f64)).toArray()).toEqual([0, 1]);
  });
});
