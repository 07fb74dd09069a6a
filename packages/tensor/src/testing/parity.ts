import type { Backend, FusedActivation } from '../backend/backend.js';
import { jsBackend } from '../backend/js/index.js';
import type { Tensor } from '../core/tensor.js';
import { showShape } from '../core/error.js';
import * as T from '../index.js';

/**
 * One check of a backend against the reference backend. `run` throws an error naming
 * the op, shapes and worst element when the backend disagrees.
 */
export interface ParityCase {
  readonly name: string;
  readonly run: (backend: Backend) => void;
}

type Values = ArrayLike<number>;

/**
 * Agreement within `tolerance × max|reference|` (float32 kernels sum in different
 * orders); `tolerance` 0 demands exact equality, for ops that only move values.
 */
const compare = (what: string, actual: Values, expected: Values, tolerance: number): void => {
  if (actual.length !== expected.length) throw new Error(`${what}: ${actual.length} elements, expected ${expected.length}`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  const allowed = tolerance * Math.max(scale, 1e-30);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const same = Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)) || Math.abs(a - e) <= allowed;
    if (!same) throw new Error(`${what}: element ${i} is ${a}, expected ${e} (allowed error ${allowed})`);
  }
};

/** Runs `op` on tensors placed on `backend` and on the reference, and compares every output. */
const agree = (
  backend: Backend,
  what: string,
  inputs: readonly Tensor[],
  op: (...xs: Tensor[]) => Tensor | readonly Tensor[],
  tolerance = 1e-5,
): void => {
  const asList = (r: Tensor | readonly Tensor[]): readonly Tensor[] => (Array.isArray(r) ? r : [r as Tensor]);
  const expected = asList(op(...inputs.map((x) => T.toBackend(x, jsBackend))));
  const actual = asList(op(...inputs.map((x) => T.toBackend(x, backend))));
  const label = `${what} on ${inputs.map((x) => `${x.dtype}${showShape(x.shape)}`).join(', ')}`;
  expected.forEach((e, i) => {
    if (actual[i].dtype !== e.dtype || showShape(actual[i].shape) !== showShape(e.shape)) {
      throw new Error(`${label}: output ${i} is ${actual[i].dtype}${showShape(actual[i].shape)}, expected ${e.dtype}${showShape(e.shape)}`);
    }
    compare(`${label} (output ${i})`, actual[i].values, e.values, tolerance);
  });
};

const SEEDS = [1, 2, 3];

const randomValues = (seed: number, shape: readonly number[], lo = -2, hi = 2): Tensor =>
  T.uniform(T.key(seed), shape, { minval: lo, maxval: hi });

/** Matmul shapes: the MNIST MLP's, sizes off the SIMD width and block size, and K > 1000. */
const MATMUL_SHAPES: readonly [number, number, number][] = [
  [128, 784, 128],
  [128, 128, 10],
  [1, 1, 1],
  [3, 1500, 5],
  [17, 33, 9],
  [5, 7, 129],
  [65, 3, 31],
];

const activations: readonly FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];

/**
 * Convolution cases: the MNIST convnet's two layers (fewer images), uneven same
 * padding, strides, dilation and both together, a 1x1 kernel, and more than 1000 taps.
 */
const CONV_CASES: readonly [readonly number[], readonly number[], T.Conv2DOptions][] = [
  [[8, 28, 28, 1], [3, 3, 1, 32], {}],
  [[4, 13, 13, 32], [3, 3, 32, 64], {}],
  [[2, 7, 6, 3], [3, 2, 3, 5], { strides: 2, padding: 'same' }],
  [[1, 9, 9, 4], [3, 3, 4, 2], { dilation: 2, padding: 'same' }],
  [[2, 6, 7, 2], [2, 2, 2, 3], { strides: [2, 1], dilation: [1, 2], padding: 'same' }],
  [[3, 5, 5, 1], [1, 1, 1, 7], {}],
  [[1, 4, 4, 130], [3, 3, 130, 3], { padding: 'same' }],
];

/** Pooling cases: the convnet's 2x2 pools, overlapping windows, uneven same padding. */
const POOL_CASES: readonly [readonly number[], T.Pair, T.Pool2DOptions][] = [
  [[8, 26, 26, 32], 2, {}],
  [[4, 11, 11, 64], 2, {}],
  [[2, 7, 6, 3], 3, { strides: 2, padding: 'same' }],
  [[1, 5, 5, 4], [2, 3], { strides: 1, padding: 'same' }],
  [[2, 6, 6, 2], 3, { strides: 1 }],
];

/**
 * The parity suite every backend runs: each kernel, reached through the public ops,
 * against the plain TypeScript reference on random float32 inputs, within
 * 1e-5 × max|reference| (exactly, for ops that only move or compare values).
 *
 * @example
 * ```ts
 * describe.each(parityCases)('$name', ({ run }) => it('matches the reference', () => run(myBackend)));
 * ```
 */
export const parityCases: readonly ParityCase[] = [
  {
    name: 'matmul with every transpose combination',
    run: (backend) =>
      MATMUL_SHAPES.forEach(([m, k, n], i) =>
        [false, true].forEach((transposeA) =>
          [false, true].forEach((transposeB) =>
            agree(
              backend,
              `matmul(transposeA=${transposeA}, transposeB=${transposeB})`,
              [randomValues(i, transposeA ? [k, m] : [m, k]), randomValues(i + 100, transposeB ? [n, k] : [k, n])],
              (a, b) => T.matmul(a, b, { transposeA, transposeB }),
            ),
          ),
        ),
      ),
  },
  {
    name: 'batched matmul with a broadcast operand',
    run: (backend) => {
      agree(backend, 'matmul', [randomValues(1, [3, 5, 7]), randomValues(2, [7, 4])], (a, b) => T.matmul(a, b));
      agree(backend, 'matmul', [randomValues(3, [2, 1, 4, 6]), randomValues(4, [3, 6, 5])], (a, b) => T.matmul(a, b));
    },
  },
  {
    name: 'dense with each fused activation, with and without bias',
    run: (backend) =>
      activations.forEach((activation) =>
        [[128, 784, 128], [7, 13, 3], [1, 1500, 10]].forEach(([m, k, n], i) => {
          agree(backend, `dense(${activation})`, [randomValues(i, [m, k]), randomValues(i + 1, [k, n], -0.1, 0.1), randomValues(i + 2, [n])], (x, w, b) =>
            T.dense(x, w, b, activation),
          );
          agree(backend, `dense(${activation}, no bias)`, [randomValues(i, [m, k]), randomValues(i + 1, [k, n], -0.1, 0.1)], (x, w) =>
            T.dense(x, w, undefined, activation),
          );
        }),
      ),
  },
  {
    name: 'unary ops',
    run: (backend) => {
      const cases: [string, (x: Tensor) => Tensor, number, number][] = [
        ['neg', T.neg, -3, 3], ['abs', T.abs, -3, 3], ['sign', T.sign, -3, 3], ['square', T.square, -3, 3],
        ['sqrt', T.sqrt, 0, 4], ['reciprocal', T.reciprocal, 0.5, 4], ['exp', T.exp, -5, 5], ['expm1', T.expm1, -2, 2],
        ['log', T.log, 0.1, 5], ['log1p', T.log1p, -0.5, 5], ['sin', T.sin, -4, 4], ['cos', T.cos, -4, 4],
        ['erf', T.erf, -3, 3], ['floor', T.floor, -3, 3], ['ceil', T.ceil, -3, 3], ['round', T.round, -3, 3],
        ['relu', T.relu, -3, 3], ['sigmoid', T.sigmoid, -8, 8], ['tanh', T.tanh, -4, 4], ['softplus', T.softplus, -8, 8],
        ['gelu', T.gelu, -4, 4],
      ];
      cases.forEach(([name, op, lo, hi]) =>
        SEEDS.forEach((seed) => agree(backend, name, [randomValues(seed, [3, 1025], lo, hi)], op)),
      );
    },
  },
  {
    name: 'binary ops and comparisons with broadcasting',
    run: (backend) => {
      const shapes: [number[], number[]][] = [[[4, 5], [4, 5]], [[128, 128], [128]], [[3, 1, 5], [4, 1]], [[7], []], [[2, 3], [1, 3]]];
      const ops: [string, (a: Tensor, b: Tensor) => Tensor, number][] = [
        ['add', T.add, 1e-5], ['sub', T.sub, 1e-5], ['mul', T.mul, 1e-5], ['div', T.div, 1e-5],
        ['pow', (a, b) => T.pow(T.abs(a), b), 1e-5], ['maximum', T.maximum, 0], ['minimum', T.minimum, 0],
        ['equal', (a, b) => T.equal(T.round(a), T.round(b)), 0], ['notEqual', (a, b) => T.notEqual(T.round(a), T.round(b)), 0],
        ['less', T.less, 0], ['lessEqual', T.lessEqual, 0], ['greater', T.greater, 0], ['greaterEqual', T.greaterEqual, 0],
        ['where', (a, b) => T.where(T.greater(a, 0), a, b), 0],
      ];
      ops.forEach(([name, op, tolerance]) =>
        shapes.forEach(([sa, sb], i) => agree(backend, name, [randomValues(i, sa), randomValues(i + 50, sb, 0.5, 2)], op, tolerance)),
      );
    },
  },
  {
    name: 'casts',
    run: (backend) => {
      const x = randomValues(5, [6, 7], -5, 5);
      agree(backend, 'cast float32→int32', [x], (v) => T.cast(v, 'int32'), 0);
      agree(backend, 'cast float32→bool', [T.round(x)], (v) => T.cast(v, 'bool'), 0);
      agree(backend, 'cast int32→float32', [T.cast(x, 'int32')], (v) => T.cast(v, 'float32'), 0);
    },
  },
  {
    name: 'reductions over chosen axes',
    run: (backend) => {
      const x = randomValues(9, [6, 129, 5]);
      const axesList: (number | number[] | undefined)[] = [undefined, 0, 1, 2, [0, 2], [1, 2]];
      axesList.forEach((axes) => {
        const label = `axes=${JSON.stringify(axes)}`;
        agree(backend, `sum ${label}`, [x], (v) => T.sum(v, axes));
        agree(backend, `max ${label}`, [x], (v) => T.max(v, axes), 0);
        agree(backend, `min ${label}`, [x], (v) => T.min(v, axes), 0);
      });
      agree(backend, 'sum of the bias gradient shape', [randomValues(3, [128, 128])], (v) => T.sum(v, 0));
      [0, 1, 2].forEach((axis) => agree(backend, `argmax axis=${axis}`, [x], (v) => T.argmax(v, axis), 0));
      agree(backend, 'argmin', [x], (v) => T.argmin(v, 1), 0);
    },
  },
  {
    name: 'layout ops: transpose, slice, pad, concat, gather and its gradient, oneHot',
    run: (backend) => {
      const x = randomValues(4, [5, 6, 7]);
      agree(backend, 'transpose', [x], (v) => T.transpose(v, [2, 0, 1]), 0);
      agree(backend, 'transpose 2-D', [randomValues(1, [33, 65])], (v) => T.transpose(v), 0);
      agree(backend, 'slice', [x], (v) => T.slice(v, [1, 2, 3], [3, 4, 2]), 0);
      agree(backend, 'pad', [x], (v) => T.pad(v, [[1, 0], [0, 2], [3, 1]], -1), 0);
      agree(backend, 'concat', [x, randomValues(5, [5, 2, 7])], (a, b) => T.concat([a, b], 1), 0);
      const indices = T.tensor([4, 0, 0, 2], { dtype: 'int32' });
      agree(backend, 'gather', [x], (v) => T.gather(v, indices, 0), 0);
      agree(backend, 'gather gradient (scatter-add)', [x], (v) => T.grad((p: Tensor) => T.sum(T.mul(T.gather(p, indices, 1), 3)))(v));
      agree(backend, 'oneHot', [T.tensor([3, 0, 9, -1], { dtype: 'int32' })], (i) => T.oneHot(i, 5), 0);
    },
  },
  {
    name: 'softmax, logSoftmax and the fused sparse cross-entropy with its gradient',
    run: (backend) =>
      [[128, 10], [3, 1025], [1, 1]].forEach(([rows, cols], i) => {
        const logits = randomValues(i, [rows, cols], -20, 20);
        const labels = T.randint(T.key(i), [rows], 0, cols);
        agree(backend, 'softmax', [logits], (v) => T.softmax(v));
        agree(backend, 'logSoftmax', [logits], (v) => T.logSoftmax(v));
        agree(backend, 'sparseSoftmaxCrossEntropy', [logits, labels], (v, l) => T.sparseSoftmaxCrossEntropy(v, l));
        agree(backend, 'sparseSoftmaxCrossEntropy gradient', [logits, labels], (v, l) =>
          T.grad((p: Tensor) => T.mean(T.sparseSoftmaxCrossEntropy(p, l)))(v),
        );
      }),
  },
  {
    name: 'conv2d and its input and kernel gradients, every padding, stride and dilation',
    run: (backend) =>
      CONV_CASES.forEach(([xShape, kernelShape, options], i) => {
        const label = JSON.stringify(options);
        const x = randomValues(i, xShape);
        const kernel = randomValues(i + 100, kernelShape, -0.5, 0.5);
        const g = T.conv2dGeometry(xShape, kernelShape, options);
        const dy = randomValues(i + 200, [g.batch, g.outHeight, g.outWidth, g.outChannels]);
        agree(backend, `conv2d ${label}`, [x, kernel], (a, k) => T.conv2d(a, k, options));
        agree(backend, `conv2dBackpropInput ${label}`, [dy, kernel], (d, k) => T.conv2dBackpropInput(d, k, g));
        agree(backend, `conv2dBackpropFilter ${label}`, [x, dy], (a, d) => T.conv2dBackpropFilter(a, d, g));
      }),
  },
  {
    name: 'max and average pooling with their gradients, ties routed to the first maximum',
    run: (backend) =>
      POOL_CASES.forEach(([xShape, poolSize, options], i) => {
        const label = `${JSON.stringify(poolSize)} ${JSON.stringify(options)}`;
        // Rounded values: many ties, which every backend must route the same way.
        const x = T.round(randomValues(i, xShape, -3, 3));
        const g = T.pool2dGeometry('maxPool2d', xShape, poolSize, options);
        const dy = randomValues(i + 100, [g.batch, g.outHeight, g.outWidth, g.outChannels]);
        agree(backend, `maxPool2d ${label}`, [x], (a) => T.maxPool2d(a, poolSize, options), 0);
        agree(backend, `maxPool2dGrad ${label}`, [dy, x], (d, a) => T.maxPool2dGrad(d, a, g));
        agree(backend, `maxPool2dGradGrad ${label}`, [randomValues(i + 200, xShape), x], (v, a) => T.maxPool2dGradGrad(v, a, g), 0);
        agree(backend, `avgPool2d ${label}`, [randomValues(i + 300, xShape)], (a) => T.avgPool2d(a, poolSize, options));
        agree(backend, `avgPool2dGrad ${label}`, [dy], (d) => T.avgPool2dGrad(d, g));
      }),
  },
  {
    name: 'fused Adam step',
    run: (backend) =>
      SEEDS.forEach((seed) => {
        const step = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: 1 / (1 - 0.9 ** seed), correction2: 1 / (1 - 0.999 ** seed) };
        agree(backend, 'adamStep', [randomValues(seed, [1027]), randomValues(seed + 1, [1027], -0.1, 0.1), randomValues(seed + 2, [1027], 0, 0.01)], (g, m, v) => {
          const r = T.adamStep(g, m, v, step);
          return [r.direction, r.m, r.v];
        });
      }),
  },
  {
    name: 'a full training step of a small MLP',
    run: (backend) => {
      const [k1, k2, k3] = T.split(T.key(11), 3);
      const params = {
        w1: T.normal(k1, [784, 32], { stddev: 0.05 }),
        b1: T.zeros([32]),
        w2: T.normal(k2, [32, 10], { stddev: 0.2 }),
        b2: T.zeros([10]),
      };
      const x = T.uniform(k3, [64, 784]);
      const labels = T.randint(T.key(12), [64], 0, 10);
      agree(backend, 'training step', [params.w1, params.b1, params.w2, params.b2, x, labels], (w1, b1, w2, b2, xs, ys) => {
        const loss = (p: { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor }) =>
          T.mean(T.sparseSoftmaxCrossEntropy(T.dense(T.dense(xs, p.w1, p.b1, 'relu'), p.w2, p.b2), ys));
        const { value, grads } = T.valueAndGrad(loss)({ w1, b1, w2, b2 });
        // Adam's direction g / (|g| + epsilon) magnifies float32 rounding in gradients near
        // epsilon; a wide epsilon and comparing the updated parameters keep the check about
        // the kernels rather than about where rounding happens to land.
        const step = { beta1: 0.9, beta2: 0.999, epsilon: 1e-3, correction1: 10, correction2: 1000 };
        const updated = [w1, b1, w2, b2].map((p, i) => {
          const g = [grads.w1, grads.b1, grads.w2, grads.b2][i];
          const { direction } = T.adamStep(g, T.zerosLike(g), T.zerosLike(g), step);
          return T.sub(p, T.mul(direction, 1e-3));
        });
        return [value, grads.w1, grads.b1, grads.w2, grads.b2, ...updated];
      }, 1e-4);
    },
  },
];
