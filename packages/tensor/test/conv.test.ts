import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { assertGradients, referenceConv2d } from '@axon/tensor/testing';
import { values64, weighted, windowCaseArb } from './arbitraries.js';

const runs = { numRuns: 20 };

/** Elements of `a` and `b` agree within `tolerance × max(1, max|b|)`. */
const expectClose = (a: T.Tensor, b: T.Tensor, tolerance = 1e-12): void => {
  expect(a.shape).toEqual(b.shape);
  const scale = Math.max(1, ...Array.from(b.values, Math.abs));
  a.values.forEach((v, i) => expect(Math.abs(v - b.values[i])).toBeLessThanOrEqual(tolerance * scale));
};

/** A convolution case: the window case's input and a kernel with 1–3 output channels. */
const convCaseArb = fc.tuple(windowCaseArb(), fc.integer({ min: 1, max: 3 })).map(([c, outChannels]) => {
  const x = values64(c.seed, [c.batch, c.height, c.width, c.channels]);
  const kernel = values64(c.seed + 1, [c.window[0], c.window[1], c.channels, outChannels]);
  const options: T.Conv2DOptions = { strides: c.strides, dilation: c.dilation, padding: c.padding };
  return { ...c, x, kernel, options };
});

describe('conv2dGeometry', () => {
  it('follows TensorFlow’s same-padding rule: out = ceil(in / stride), the odd row at the bottom', () => {
    const g = T.conv2dGeometry([1, 4, 5, 1], [2, 3, 1, 1], { padding: 'same' });
    expect([g.outHeight, g.outWidth, g.padTop, g.padBottom, g.padLeft, g.padRight]).toEqual([4, 5, 0, 1, 1, 1]);
    const strided = T.conv2dGeometry([1, 5, 6, 1], [3, 3, 1, 1], { padding: 'same', strides: 2 });
    expect([
      strided.outHeight,
      strided.outWidth,
      strided.padTop,
      strided.padBottom,
      strided.padLeft,
      strided.padRight,
    ]).toEqual([3, 3, 1, 1, 0, 1]);
    const dilated = T.conv2dGeometry([1, 7, 7, 1], [3, 3, 1, 1], { padding: 'same', dilation: 2 });
    expect([dilated.outHeight, dilated.padTop, dilated.padBottom]).toEqual([7, 2, 2]);
    const valid = T.conv2dGeometry([2, 7, 6, 3], [3, 2, 3, 8], { strides: [2, 3] });
    expect([valid.outHeight, valid.outWidth, valid.outChannels, valid.padTop, valid.padRight]).toEqual([3, 2, 8, 0, 0]);
  });

  it('refuses what no convolution can do, naming the shapes', () => {
    const x = T.zeros([1, 4, 4, 2]);
    expect(() => T.conv2d(x, T.zeros([3, 3, 3, 1]))).toThrow(
      'conv2d: input [1,4,4,2] has 2 channels but kernel [3,3,3,1] expects 3',
    );
    expect(() => T.conv2d(x, T.zeros([3, 3, 2, 1]), { dilation: 2 })).toThrow(
      "conv2d: a 5x5 window (after dilation) does not fit in 4x4 input [1,4,4,2] with 'valid' padding",
    );
    expect(() => T.conv2d(T.zeros([4, 4, 2]), T.zeros([3, 3, 2, 1]))).toThrow(
      'conv2d: expects NHWC input [batch, height, width, channels], got [4,4,2]',
    );
    expect(() => T.conv2d(x, T.zeros([3, 3, 2]))).toThrow(
      'conv2d: expects a kernel [filterHeight, filterWidth, inChannels, outChannels], got [3,3,2]',
    );
    expect(() => T.conv2d(x, T.zeros([3, 3, 2, 1]), { strides: 0 })).toThrow(
      'conv2d: strides must be a positive integer or a pair of them, got 0',
    );
    expect(() => T.conv2d(x, T.zeros([3, 3, 2, 1], { dtype: 'float64' }))).toThrow(
      'conv2d: the kernel is float64[3,3,2,1] but the other operand is float32',
    );
    expect(() => T.conv2d(x, T.zeros([1, 1, 2, 1]), { padding: 'full' as 'same' })).toThrow(
      "conv2d: padding must be 'valid' or 'same', got \"full\"",
    );
    const g = T.conv2dGeometry(x.shape, [3, 3, 2, 1]);
    expect(() => T.conv2dBackpropInput(T.zeros([1, 3, 3, 1]), T.zeros([3, 3, 2, 1]), g)).toThrow(
      'conv2dBackpropInput: dy must be [1,2,2,1] for this geometry, got [1,3,3,1]',
    );
  });
});

describe('conv2d', () => {
  it('puts same padding’s extra row and column at the end, as TensorFlow', () => {
    const x = T.reshape(T.arange(16), [1, 4, 4, 1]);
    const y = T.conv2d(x, T.ones([2, 2, 1, 1]), { padding: 'same' });
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(y.values[0]).toBe(0 + 1 + 4 + 5);
    expect(y.values[15]).toBe(15);
  });

  it('equals the composite of pad, window gather, multiply and sum, in value and gradient (float64)', () => {
    fc.assert(
      fc.property(convCaseArb, (c) => {
        const y = T.conv2d(c.x, c.kernel, c.options);
        expectClose(y, referenceConv2d(c.x, c.kernel, c.options));
        const loss = (conv: typeof T.conv2d) => (p: { x: T.Tensor; kernel: T.Tensor }) =>
          weighted(conv(p.x, p.kernel, c.options), c.seed);
        const ours = T.grad(loss(T.conv2d))({ x: c.x, kernel: c.kernel });
        const reference = T.grad(loss(referenceConv2d as typeof T.conv2d))({ x: c.x, kernel: c.kernel });
        expectClose(ours.x, reference.x);
        expectClose(ours.kernel, reference.kernel);
      }),
      runs,
    );
  });

  it('has input and kernel gradients that agree with central differences (float64)', () => {
    fc.assert(
      fc.property(convCaseArb, (c) => {
        assertGradients(
          (p: { x: T.Tensor; kernel: T.Tensor }) => weighted(T.conv2d(p.x, p.kernel, c.options), c.seed),
          { x: c.x, kernel: c.kernel },
        );
      }),
      runs,
    );
  });

  it('has backward ops whose own gradients agree with central differences, so they can be differentiated again', () => {
    fc.assert(
      fc.property(convCaseArb, (c) => {
        const g = T.conv2dGeometry(c.x.shape, c.kernel.shape, c.options);
        const dy = values64(c.seed + 2, [g.batch, g.outHeight, g.outWidth, g.outChannels]);
        assertGradients(
          (p: { dy: T.Tensor; kernel: T.Tensor }) => weighted(T.conv2dBackpropInput(p.dy, p.kernel, g), c.seed),
          { dy, kernel: c.kernel },
        );
        assertGradients((p: { x: T.Tensor; dy: T.Tensor }) => weighted(T.conv2dBackpropFilter(p.x, p.dy, g), c.seed), {
          x: c.x,
          dy,
        });
      }),
      runs,
    );
  });

  it('in float32 agrees with the float64 composite to float32 precision', () => {
    fc.assert(
      fc.property(convCaseArb, (c) => {
        const y = T.conv2d(T.cast(c.x, 'float32'), T.cast(c.kernel, 'float32'), c.options);
        expect(y.dtype).toBe('float32');
        expectClose(T.cast(y, 'float64'), referenceConv2d(c.x, c.kernel, c.options), 1e-6);
      }),
      runs,
    );
  });
});

/** A fused convolution computed from the reference backend's own kernels. */
const referenceFusedConv2d = (
  x: T.Storage,
  kernel: T.Storage,
  bias: T.Storage | undefined,
  activation: T.ConvActivation,
  g: T.Conv2DGeometry,
): T.Storage => {
  const convolved = T.jsBackend.conv2d(x, kernel, g);
  const shape = [g.batch, g.outHeight, g.outWidth, g.outChannels];
  const biased =
    bias === undefined ? convolved : T.jsBackend.binary('add', convolved, shape, bias, [g.outChannels], shape);
  return activation === 'relu' ? T.jsBackend.unary('relu', biased) : biased;
};

/** The reference backend with a fused convolution computed from its own kernels, so `fusedConv2d`'s own gradient rule runs (in float64). */
const fusingBackend: T.Backend = { ...T.jsBackend, name: 'js-fusing', fusedConv2d: referenceFusedConv2d };

describe('fusedConv2d', () => {
  const fusedCaseArb = fc.tuple(convCaseArb, fc.constantFrom<T.ConvActivation>('linear', 'relu'), fc.boolean());

  it('equals relu(conv2d(x, kernel) + bias) on a backend that fuses it and on one that does not', () => {
    fc.assert(
      fc.property(fusedCaseArb, ([c, activation, useBias]) => {
        const bias = useBias ? values64(c.seed + 3, [c.kernel.shape[3]]) : undefined;
        const convolved = T.conv2d(c.x, c.kernel, c.options);
        const biased = bias === undefined ? convolved : T.add(convolved, bias);
        const expected = activation === 'relu' ? T.relu(biased) : biased;
        expect(T.fusedConv2d(c.x, c.kernel, bias, activation, c.options).toArray()).toEqual(expected.toArray());
        const on = (t: T.Tensor) => T.toBackend(t, fusingBackend);
        const fused = T.fusedConv2d(on(c.x), on(c.kernel), bias && on(bias), activation, c.options);
        expect(fused.backend).toBe(fusingBackend);
        expect(fused.toArray()).toEqual(expected.toArray());
      }),
      runs,
    );
  });

  it('has input, kernel and bias gradients (its own rule) that agree with central differences (float64)', () => {
    fc.assert(
      fc.property(fusedCaseArb, ([c, activation]) => {
        const on = (t: T.Tensor) => T.toBackend(t, fusingBackend);
        // Bias values away from the kink of relu, so central differences do not straddle it.
        const bias = on(T.add(values64(c.seed + 3, [c.kernel.shape[3]]), 0.05));
        assertGradients(
          (p: { x: T.Tensor; kernel: T.Tensor; bias: T.Tensor }) =>
            weighted(T.fusedConv2d(p.x, p.kernel, p.bias, activation, c.options), c.seed),
          { x: on(c.x), kernel: on(c.kernel), bias },
        );
      }),
      runs,
    );
  });

  it('names a bias that does not fit the kernel', () => {
    const x = T.zeros([1, 4, 4, 2]);
    const kernel = T.zeros([3, 3, 2, 5]);
    expect(() => T.fusedConv2d(x, kernel, T.zeros([4]), 'relu')).toThrow(/bias float32\[4\] must be float32\[5\]/);
  });
});

/**
 * The fusing backend with a fused convolution and max pooling computed from the
 * reference backend's kernels, counting its calls, so `fusedConv2dMaxPool`'s fused
 * branch runs (in float64).
 */
const poolingBackend = (calls: { count: number }): T.Backend => ({
  ...fusingBackend,
  name: 'js-fusing-pooling',
  fusedConv2dMaxPool: (x, kernel, bias, activation, conv, pool) => {
    calls.count++;
    return T.jsBackend.maxPool2d(referenceFusedConv2d(x, kernel, bias, activation, conv), pool);
  },
});

describe('fusedConv2dMaxPool', () => {
  const pooledCaseArb = fc
    .tuple(
      convCaseArb,
      fc.constantFrom<T.ConvActivation>('linear', 'relu'),
      fc.boolean(),
      fc.integer({ min: 1, max: 2 }),
      fc.constantFrom<T.Padding>('valid', 'same'),
    )
    .filter(([c, , , poolSize]) => {
      const g = T.conv2dGeometry(c.x.shape, c.kernel.shape, c.options);
      return g.outHeight >= poolSize && g.outWidth >= poolSize;
    });

  it('equals maxPool2d(fusedConv2d(...)) on a backend that fuses them and on one that does not', () => {
    fc.assert(
      fc.property(pooledCaseArb, ([c, activation, useBias, poolSize, padding]) => {
        const bias = useBias ? values64(c.seed + 3, [c.kernel.shape[3]]) : undefined;
        const pool = { poolSize, padding };
        const expected = T.maxPool2d(T.fusedConv2d(c.x, c.kernel, bias, activation, c.options), poolSize, pool);
        expect(T.fusedConv2dMaxPool(c.x, c.kernel, bias, activation, c.options, pool).toArray()).toEqual(
          expected.toArray(),
        );
        const calls = { count: 0 };
        const backend = poolingBackend(calls);
        const on = (t: T.Tensor) => T.toBackend(t, backend);
        const fused = T.fusedConv2dMaxPool(on(c.x), on(c.kernel), bias && on(bias), activation, c.options, pool);
        expect(calls.count).toBe(1);
        expect(fused.backend).toBe(backend);
        expect(fused.shape).toEqual(expected.shape);
        expect(fused.toArray()).toEqual(expected.toArray());
      }),
      runs,
    );
  });

  it('runs the two ops under grad: gradients that agree with central differences, the fused kernel not asked (float64)', () => {
    fc.assert(
      fc.property(pooledCaseArb, ([c, activation, , poolSize, padding]) => {
        const calls = { count: 0 };
        const backend = poolingBackend(calls);
        const on = (t: T.Tensor) => T.toBackend(t, backend);
        // Bias values away from the kink of relu, so central differences do not straddle it.
        const bias = on(T.add(values64(c.seed + 3, [c.kernel.shape[3]]), 0.05));
        assertGradients(
          (p: { x: T.Tensor; kernel: T.Tensor; bias: T.Tensor }) =>
            weighted(T.fusedConv2dMaxPool(p.x, p.kernel, p.bias, activation, c.options, { poolSize, padding }), c.seed),
          { x: on(c.x), kernel: on(c.kernel), bias },
        );
        expect(calls.count).toBe(0);
      }),
      runs,
    );
  });

  it('names a bias that does not fit the kernel and a pool larger than the convolution’s output', () => {
    const x = T.zeros([1, 4, 4, 2]);
    const kernel = T.zeros([3, 3, 2, 5]);
    expect(() => T.fusedConv2dMaxPool(x, kernel, T.zeros([4]), 'relu', {}, { poolSize: 2 })).toThrow(
      /fusedConv2dMaxPool.*bias float32\[4\] must be float32\[5\]/,
    );
    expect(() => T.fusedConv2dMaxPool(x, kernel, undefined, 'relu', {}, { poolSize: 3 })).toThrow(/fusedConv2dMaxPool/);
  });
});
