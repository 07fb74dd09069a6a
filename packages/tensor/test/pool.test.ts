import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { assertGradients, referenceAvgPool2d, referenceMaxPool2d } from '@axon/tensor/testing';
import { values64, weighted, windowCaseArb, type WindowCase } from './arbitraries.js';

const runs = { numRuns: 20 };

const expectClose = (a: T.Tensor, b: T.Tensor, tolerance = 1e-12): void => {
  expect(a.shape).toEqual(b.shape);
  const scale = Math.max(1, ...Array.from(b.values, Math.abs));
  a.values.forEach((v, i) => expect(Math.abs(v - b.values[i])).toBeLessThanOrEqual(tolerance * scale));
};

const shapeOf = (c: WindowCase): number[] => [c.batch, c.height, c.width, c.channels];
const optionsOf = (c: WindowCase): T.Pool2DOptions => ({ strides: c.strides, padding: c.padding });

/** Distinct values 0.05 apart in a random order: no ties, and no near-ties a difference step could cross. */
const distinct64 = (seed: number, shape: number[]): T.Tensor => {
  const order = T.permutationValues(T.key(seed), T.sizeOf(shape));
  return T.tensor(
    Float64Array.from(order, (i) => i * 0.05 - 1),
    { shape, dtype: 'float64' },
  );
};

/** Values in {0, 1, 2}: windows full of ties. */
const tied64 = (seed: number, shape: number[]): T.Tensor => T.cast(T.randint(T.key(seed), shape, 0, 3), 'float64');

const pools = [
  ['maxPool2d', T.maxPool2d, referenceMaxPool2d],
  ['avgPool2d', T.avgPool2d, referenceAvgPool2d],
] as const;

describe.each(pools)('%s', (name, pool, reference) => {
  it('equals the composite of pad, window gather and reduce, in value and gradient (float64)', () => {
    fc.assert(
      fc.property(windowCaseArb(1), (c) => {
        const x = values64(c.seed, shapeOf(c));
        expectClose(pool(x, c.window, optionsOf(c)), reference(x, c.window, optionsOf(c)));
        const loss = (f: typeof pool) => (v: T.Tensor) => weighted(f(v, c.window, optionsOf(c)), c.seed);
        expectClose(T.grad(loss(pool))(x), T.grad(loss(reference as typeof pool))(x));
      }),
      runs,
    );
  });

  it('has a gradient that agrees with central differences (float64)', () => {
    fc.assert(
      fc.property(windowCaseArb(1), (c) => {
        assertGradients(
          (v: T.Tensor) => weighted(pool(v, c.window, optionsOf(c)), c.seed),
          distinct64(c.seed, shapeOf(c)),
        );
      }),
      runs,
    );
  });

  it('refuses input that is not NHWC, naming the op', () => {
    expect(() => pool(T.zeros([4, 4, 1]), 2)).toThrow(
      `${name}: expects NHWC input [batch, height, width, channels], got [4,4,1]`,
    );
    expect(() => pool(T.zeros([1, 1, 4, 1]), 2)).toThrow(`${name}: a 2x2 window does not fit in 1x4 input`);
  });
});

describe('maxPool2d', () => {
  it('routes each window’s gradient to its first maximum, ties included, as the composite with argmax does', () => {
    fc.assert(
      fc.property(windowCaseArb(1), (c) => {
        const x = tied64(c.seed, shapeOf(c));
        const loss = (f: typeof T.maxPool2d) => (v: T.Tensor) => weighted(f(v, c.window, optionsOf(c)), c.seed);
        expect(T.grad(loss(T.maxPool2d))(x).values).toEqual(
          T.grad(loss(referenceMaxPool2d as typeof T.maxPool2d))(x).values,
        );
      }),
      runs,
    );
  });

  it('gives a tied window’s whole gradient to its first element in row-major order', () => {
    const x = T.tensor(
      [
        [
          [[1], [3]],
          [[3], [2]],
        ],
      ],
      { dtype: 'float64' },
    );
    expect(T.grad((v: T.Tensor) => T.sum(T.maxPool2d(v, 2)))(x).values).toEqual(Float64Array.from([0, 1, 0, 0]));
    expect(T.grad((v: T.Tensor) => T.sum(T.maxPool2d(v, 2)))(T.onesLike(x)).values).toEqual(
      Float64Array.from([1, 0, 0, 0]),
    );
  });

  it('has backward ops whose own gradients agree with central differences', () => {
    fc.assert(
      fc.property(windowCaseArb(1), (c) => {
        const x = tied64(c.seed, shapeOf(c));
        const g = T.pool2dGeometry('maxPool2d', x.shape, c.window, optionsOf(c));
        const dy = values64(c.seed + 1, [g.batch, g.outHeight, g.outWidth, g.outChannels]);
        assertGradients((d: T.Tensor) => weighted(T.maxPool2dGrad(d, x, g), c.seed), dy);
        assertGradients(
          (v: T.Tensor) => weighted(T.maxPool2dGradGrad(v, x, g), c.seed),
          values64(c.seed + 2, shapeOf(c)),
        );
        expect(T.maxPool2dGradGrad(x, x, g).values).toEqual(T.maxPool2d(x, c.window, optionsOf(c)).values);
      }),
      runs,
    );
  });
});

describe('avgPool2d', () => {
  it('divides by the in-bounds count under same padding, as TensorFlow', () => {
    const x = T.reshape(T.arange(1, 10), [1, 3, 3, 1]);
    expect(Array.from(T.avgPool2d(x, 2, { padding: 'same' }).values)).toEqual([3, 4.5, 7.5, 9]);
  });

  it('has a backward op whose own gradient agrees with central differences', () => {
    fc.assert(
      fc.property(windowCaseArb(1), (c) => {
        const g = T.pool2dGeometry('avgPool2d', shapeOf(c), c.window, optionsOf(c));
        const dy = values64(c.seed + 1, [g.batch, g.outHeight, g.outWidth, g.outChannels]);
        assertGradients((d: T.Tensor) => weighted(T.avgPool2dGrad(d, g), c.seed), dy);
      }),
      runs,
    );
  });
});

describe('globalAvgPool2d', () => {
  it('is the mean over each image’s pixels, per channel, with its gradient', () => {
    fc.assert(
      fc.property(windowCaseArb(1), (c) => {
        const x = values64(c.seed, shapeOf(c));
        const y = T.globalAvgPool2d(x);
        expect(y.shape).toEqual([c.batch, c.channels]);
        expectClose(y, T.mean(x, [1, 2]));
        assertGradients((v: T.Tensor) => weighted(T.globalAvgPool2d(v), c.seed), x);
      }),
      { numRuns: 10 },
    );
    expect(() => T.globalAvgPool2d(T.zeros([3, 3]))).toThrow('globalAvgPool2d: expects NHWC input');
  });
});
