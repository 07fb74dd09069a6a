import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { assertGradients, gradientProbe, unaryGradientCases } from '@axon/tensor/testing';
import { broadcastPairArb, seedArb, shapeArb, values64, weighted, windowCaseArb } from './arbitraries.js';

// Second (and third) derivatives, each checked in float64 against central differences
// of the analytic gradient: `gradientProbe(f)` is a scalar depending on every element of
// ∇f, so checking its gradient compares the Hessian (times random weights) with finite
// differences of ∇f.

const runs = { numRuns: 8 };

const f64 = { dtype: 'float64' } as const;

describe('higher-order gradients', () => {
  it('grad of grad: d²(x³)/dx² at 3 is 18, and the third derivative is 6', () => {
    const cube = (x: T.Tensor) => T.sum(T.mul(T.square(x), x));
    const second = (x: T.Tensor) => T.sum(T.grad(cube)(x));
    expect(T.grad(second)(T.tensor([3], f64)).toArray()).toEqual([18]);
    expect(T.grad((x: T.Tensor) => T.sum(T.grad(second)(x)))(T.tensor([3], f64)).toArray()).toEqual([6]);
  });

  it('keeps nested differentiations apart (no perturbation confusion)', () => {
    // d/dx [x · d/dy (x + y)] = d/dx [x · 1] = 1; confusing the two traces gives 2.
    const inner = (x: T.Tensor) => T.grad((y: T.Tensor) => T.sum(T.add(x, y)))(T.tensor([1], f64));
    expect(T.grad((x: T.Tensor) => T.sum(T.mul(x, inner(x))))(T.tensor([1], f64)).toArray()).toEqual([1]);
    // A closure over the outer argument: d/dx [d/dy (x·y²)] at y = 3 = 2·3 = 6.
    const mixed = (x: T.Tensor) => T.sum(T.grad((y: T.Tensor) => T.sum(T.mul(x, T.square(y))))(T.tensor([3], f64)));
    expect(T.grad(mixed)(T.tensor([5], f64)).toArray()).toEqual([6]);
  });

  it('values and aux of an inner valueAndGrad stay differentiable by the outer one', () => {
    const cube = (x: T.Tensor) => T.sum(T.mul(T.square(x), x));
    const x = T.tensor([2], f64);
    expect(T.grad((v: T.Tensor) => T.valueAndGrad(cube)(v).value)(x).toArray()).toEqual([12]);
    const withAux = (v: T.Tensor) => T.valueAndGradWithAux((u: T.Tensor) => [cube(u), T.mul(u, 5)] as const)(v).aux;
    expect(T.grad((v: T.Tensor) => T.sum(withAux(v)))(x).toArray()).toEqual([5]);
  });

  it('records nothing of a backward pass that no outer differentiation watches', () => {
    const f = (x: T.Tensor) => T.sum(T.dense(x, T.tensor([[1, 2]], f64), undefined, 'tanh'));
    const { value, grads } = T.valueAndGrad(f)(T.tensor([[0.5]], f64));
    expect(value.node).toBeUndefined();
    expect(grads.node).toBeUndefined();
  });

  it('refuses to differentiate through the fused Adam step', () => {
    const step = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: 10, correction2: 1000 };
    const f = (g: T.Tensor) => T.sum(T.adamStep(g, T.zerosLike(g), T.zerosLike(g), step).direction);
    expect(() => T.grad(f)(T.tensor([1, 2], f64))).toThrow(T.TensorError);
    expect(() => T.grad(f)(T.tensor([1, 2], f64))).toThrow(/^adamStep: is not differentiable/);
  });

  describe('second derivatives agree with central differences of gradients (float64)', () => {
    describe.each(unaryGradientCases)('$name', ({ op, lo, hi, gap }) => {
      it('for random shapes and values', () => {
        fc.assert(
          fc.property(shapeArb(2, 3), seedArb, (shape, seed) => {
            assertGradients(
              gradientProbe((x: T.Tensor) => weighted(op(x), seed), seed + 1),
              values64(seed, shape, lo, hi, gap),
            );
          }),
          runs,
        );
      });
    });

    const binaryCases: [string, (a: T.Tensor, b: T.Tensor) => T.Tensor, number, number][] = [
      ['add', T.add, -2, 2],
      ['sub', T.sub, -2, 2],
      ['mul', T.mul, -2, 2],
      ['div', T.div, 0.5, 2],
      ['pow', T.pow, 0.5, 2],
      ['maximum', (a, b) => T.mul(T.maximum(a, b), T.add(a, b)), -2, 2],
      ['minimum', (a, b) => T.mul(T.minimum(a, b), T.mul(a, b)), -2, 2],
      ['where', (a, b) => T.where(T.greater(a, b), T.mul(a, b), T.square(b)), -2, 2],
    ];

    describe.each(binaryCases)('%s, mixed partials included', (_name, op, lo, hi) => {
      it('for broadcast shape pairs', () => {
        fc.assert(
          fc.property(broadcastPairArb(2, 3), seedArb, ([sa, sb], seed) => {
            const params = { a: values64(seed, sa, lo, hi), b: values64(seed + 1, sb, lo, hi) };
            // Ties of the two operands are kinks of maximum, minimum and where.
            const gaps = T.abs(T.sub(params.a, params.b)).values;
            fc.pre(gaps.every((d) => d > 1e-3));
            assertGradients(
              gradientProbe((p: typeof params) => weighted(op(p.a, p.b), seed), seed + 1),
              params,
            );
          }),
          runs,
        );
      });
    });

    const reductions: [string, (x: T.Tensor, axes: number[], keepDims: boolean) => T.Tensor][] = [
      ['sum', (x, axes, keepDims) => T.square(T.sum(x, axes, { keepDims }))],
      ['mean', (x, axes, keepDims) => T.exp(T.mean(x, axes, { keepDims }))],
      ['max', (x, axes, keepDims) => T.square(T.max(T.mul(x, x), axes, { keepDims }))],
      ['min', (x, axes, keepDims) => T.sin(T.min(x, axes, { keepDims }))],
      ['logSumExp', (x, axes, keepDims) => T.logSumExp(x, axes, { keepDims })],
    ];

    const shapeWithAxes = shapeArb(3, 3).chain((shape) =>
      fc.tuple(fc.constant(shape), fc.subarray([...shape.keys()]), fc.boolean()),
    );

    describe.each(reductions)('%s', (_name, op) => {
      it('over random axes', () => {
        fc.assert(
          fc.property(shapeWithAxes, seedArb, ([shape, axes, keepDims], seed) => {
            assertGradients(
              gradientProbe((x: T.Tensor) => weighted(op(x, axes, keepDims), seed), seed + 1),
              values64(seed, shape),
            );
          }),
          runs,
        );
      });
    });

    it('matmul with transposes and broadcast batch axes', () => {
      const arb = fc.record({
        batchA: fc.constantFrom([], [2], [1]),
        batchB: fc.constantFrom([], [2]),
        m: fc.integer({ min: 1, max: 3 }),
        k: fc.integer({ min: 1, max: 3 }),
        n: fc.integer({ min: 1, max: 3 }),
        transposeA: fc.boolean(),
        transposeB: fc.boolean(),
        seed: seedArb,
      });
      fc.assert(
        fc.property(arb, ({ batchA, batchB, m, k, n, transposeA, transposeB, seed }) => {
          const params = {
            a: values64(seed, [...batchA, ...(transposeA ? [k, m] : [m, k])]),
            b: values64(seed + 1, [...batchB, ...(transposeB ? [n, k] : [k, n])]),
          };
          // The product is bilinear; squaring it gives every second partial a value.
          const f = (p: typeof params) => weighted(T.square(T.matmul(p.a, p.b, { transposeA, transposeB })), seed);
          assertGradients(gradientProbe(f, seed + 1), params);
        }),
        runs,
      );
    });

    it('softmax and logSoftmax along any axis', () => {
      fc.assert(
        fc.property(
          shapeArb(3, 3).filter((s) => s.length > 0),
          seedArb,
          fc.nat(),
          (shape, seed, axisSeed) => {
            const axis = axisSeed % shape.length;
            const x = values64(seed, shape, -3, 3);
            assertGradients(
              gradientProbe((v: T.Tensor) => weighted(T.softmax(v, axis), seed), seed + 1),
              x,
            );
            assertGradients(
              gradientProbe((v: T.Tensor) => weighted(T.logSoftmax(v, axis), seed), seed + 1),
              x,
            );
          },
        ),
        runs,
      );
    });

    it('dense with each fused activation, with and without bias', () => {
      const arb = fc.record({
        m: fc.integer({ min: 1, max: 3 }),
        k: fc.integer({ min: 1, max: 3 }),
        n: fc.integer({ min: 1, max: 3 }),
        activation: fc.constantFrom('linear' as const, 'relu' as const, 'sigmoid' as const, 'tanh' as const),
        useBias: fc.boolean(),
        seed: seedArb,
      });
      fc.assert(
        fc.property(arb, ({ m, k, n, activation, useBias, seed }) => {
          const params = { x: values64(seed, [m, k]), w: values64(seed + 1, [k, n]), b: values64(seed + 2, [n]) };
          const z = T.add(T.matmul(params.x, params.w), useBias ? params.b : 0);
          fc.pre(activation !== 'relu' || z.values.every((v) => Math.abs(v) > 1e-3));
          const f = (p: typeof params) =>
            weighted(T.square(T.dense(p.x, p.w, useBias ? p.b : undefined, activation)), seed);
          assertGradients(gradientProbe(f, seed + 1), params);
        }),
        runs,
      );
    });

    it('sparseSoftmaxCrossEntropy with respect to logits', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), seedArb, (batch, classes, seed) => {
          const labels = T.randint(T.key(seed + 3), [batch], 0, classes);
          const f = (l: T.Tensor) => weighted(T.square(T.sparseSoftmaxCrossEntropy(l, labels)), seed);
          assertGradients(gradientProbe(f, seed + 1), values64(seed, [batch, classes], -3, 3));
        }),
        runs,
      );
    });

    it('layout ops: reshape, transpose, slice, pad, concat, stack, gather, broadcastTo, cast, toBackend', () => {
      const other: T.Backend = { ...T.jsBackend, name: 'js-copy', priority: 1 };
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), seedArb, (r, c, seed) => {
          const idx = T.randint(T.key(seed), [4], 0, r);
          const f = (v: T.Tensor) => {
            const moved = T.transpose(T.reshape(T.toBackend(v, other), [c, r]));
            const padded = T.pad(
              moved,
              [
                [1, 0],
                [0, 2],
              ],
              0,
            );
            const cut = T.slice(padded, [1, 0], [r, c]);
            const joined = T.concat([cut, T.mul(v, 2)], 1);
            const stacked = T.stack([joined, T.exp(joined)], 0);
            const picked = T.gather(T.square(v), idx, 0);
            const spread = T.broadcastTo(T.expandDims(T.sum(T.cast(T.sin(v), 'float64'), 0), 0), [3, c]);
            return T.add(
              T.add(weighted(T.square(stacked), seed), weighted(picked, seed + 1)),
              weighted(T.square(spread), seed + 2),
            );
          };
          assertGradients(gradientProbe(f, seed + 3), values64(seed, [r, c]));
        }),
        runs,
      );
    });
  });

  describe('second derivatives of convolution and pooling, through their backward ops (float64)', () => {
    it('conv2d: the input and kernel gradients are differentiable again, every padding, stride and dilation', () => {
      fc.assert(
        fc.property(windowCaseArb(), fc.integer({ min: 1, max: 2 }), (c, outChannels) => {
          const params = {
            x: values64(c.seed, [c.batch, c.height, c.width, c.channels]),
            kernel: values64(c.seed + 1, [...c.window, c.channels, outChannels]),
          };
          const options = { strides: c.strides, dilation: c.dilation, padding: c.padding };
          const f = (p: typeof params) => weighted(T.tanh(T.conv2d(p.x, p.kernel, options)), c.seed);
          assertGradients(gradientProbe(f, c.seed), params);
        }),
        runs,
      );
    });

    it('max and average pooling: their gradients are differentiable again', () => {
      fc.assert(
        fc.property(windowCaseArb(1), (c) => {
          const shape = [c.batch, c.height, c.width, c.channels];
          // Distinct values 0.05 apart, so no difference step crosses a tie.
          const x = T.tensor(
            Float64Array.from(T.permutationValues(T.key(c.seed), T.sizeOf(shape)), (i) => i * 0.05 - 1),
            { shape, dtype: 'float64' },
          );
          const options = { strides: c.strides, padding: c.padding };
          assertGradients(
            gradientProbe((v: T.Tensor) => weighted(T.square(T.maxPool2d(v, c.window, options)), c.seed), c.seed),
            x,
          );
          assertGradients(
            gradientProbe((v: T.Tensor) => weighted(T.square(T.avgPool2d(v, c.window, options)), c.seed), c.seed),
            x,
          );
        }),
        runs,
      );
    });
  });

  describe('third derivatives (the gradients of the fused gradient kernels are differentiable too)', () => {
    const third =
      (f: (x: T.Tensor) => T.Tensor, seed: number) =>
      (x: T.Tensor): T.Tensor =>
        gradientProbe(gradientProbe(f, seed), seed + 1)(x);

    it.each([
      ['sigmoid', (x: T.Tensor) => T.sigmoid(x)],
      ['tanh', (x: T.Tensor) => T.tanh(x)],
      [
        'dense(sigmoid)',
        (x: T.Tensor) => T.dense(x, T.tensor([[0.7, -1.3, 0.4]], f64), T.tensor([0.1, -0.2, 0.3], f64), 'sigmoid'),
      ],
      ['dense(tanh)', (x: T.Tensor) => T.dense(x, T.tensor([[0.7, -1.3, 0.4]], f64), undefined, 'tanh')],
      [
        'sparseSoftmaxCrossEntropy',
        (x: T.Tensor) =>
          T.sparseSoftmaxCrossEntropy(
            T.concat([x, T.mul(x, -0.5), T.square(x)], 1),
            T.tensor([0, 2, 1, 1], { dtype: 'int32' }),
          ),
      ],
      ['gather', (x: T.Tensor) => T.exp(T.gather(x, T.tensor([3, 0, 3], { dtype: 'int32' }), 0))],
    ] as const)('%s', (_name, op) => {
      fc.assert(
        fc.property(seedArb, (seed) => {
          const f = (x: T.Tensor) => weighted(op(x), seed);
          const x = values64(seed, [4, 1], -1.5, 1.5);
          // The third-order check differentiates the second derivative, so that must be right first.
          assertGradients(gradientProbe(f, seed + 1), x);
          assertGradients(third(f, seed + 1), x);
        }),
        { numRuns: 4 },
      );
    });
  });

  it('Hessian-vector products agree with central differences of the gradient along v', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), seedArb, (n, hidden, seed) => {
        const w = values64(seed, [n, hidden]);
        const f = (x: T.Tensor) => T.sum(T.mul(T.tanh(T.matmul(T.expandDims(x, 0), w)), T.softplus(T.sum(x))));
        const x = values64(seed + 1, [n]);
        const v = values64(seed + 2, [n]);
        const hvp = T.grad((y: T.Tensor) => T.sum(T.mul(T.grad(f)(y), v)))(x).values;
        const h = 1e-5;
        const plus = T.grad(f)(T.add(x, T.mul(v, h))).values;
        const minus = T.grad(f)(T.sub(x, T.mul(v, h))).values;
        hvp.forEach((value, i) => {
          const numeric = (plus[i] - minus[i]) / (2 * h);
          expect(Math.abs(value - numeric)).toBeLessThanOrEqual(1e-8 + 1e-6 * Math.abs(numeric));
        });
      }),
      { numRuns: 20 },
    );
  });

  it('a gradient penalty on a small MLP: the loss plus the squared norm of its input gradient', () => {
    const arb = fc.record({
      batch: fc.integer({ min: 1, max: 3 }),
      inputs: fc.integer({ min: 1, max: 3 }),
      hidden: fc.integer({ min: 1, max: 4 }),
      classes: fc.integer({ min: 2, max: 3 }),
      activation: fc.constantFrom('sigmoid' as const, 'tanh' as const, 'linear' as const),
      seed: seedArb,
    });
    fc.assert(
      fc.property(arb, ({ batch, inputs, hidden, classes, activation, seed }) => {
        const x = values64(seed, [batch, inputs]);
        const labels = T.randint(T.key(seed), [batch], 0, classes);
        const params = {
          w1: values64(seed + 1, [inputs, hidden]),
          b1: values64(seed + 2, [hidden], -0.5, 0.5),
          w2: values64(seed + 3, [hidden, classes]),
          b2: values64(seed + 4, [classes], -0.5, 0.5),
        };
        type Params = typeof params;
        const loss = (p: Params, input: T.Tensor) =>
          T.mean(T.sparseSoftmaxCrossEntropy(T.dense(T.dense(input, p.w1, p.b1, activation), p.w2, p.b2), labels));
        const penalized = (p: Params) =>
          T.add(loss(p, x), T.mul(T.sum(T.square(T.grad((input: T.Tensor) => loss(p, input))(x))), 10));
        assertGradients(penalized, params);
      }),
      { numRuns: 12 },
    );
  });
});
