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
 * How close a backend's element must come to the reference's:
 * `|actual - expected| <= atol + rtol * |expected|`, element by element, so a small
 * element is held to its own precision, not to the largest element's.
 */
interface Tolerance {
  /** Float32 rounding of the element itself. */
  readonly rtol: number;
  /** The rounding of the terms an element is computed from, which remains when they cancel to near 0. */
  readonly atol: number;
}

/** For ops that only move, compare or select values: bit-identical results. */
const EXACT: Tolerance = { rtol: 0, atol: 0 };

const ULP = 2 ** -24;

/**
 * Element-wise float32 functions of inputs up to `magnitude`: a few ulps of the result,
 * plus 16 ulps of the input where the result cancels toward 0 (log near 1 keeps none of
 * its relative precision; gpu.js's log was measured 1.2 ulps of 1 off there).
 */
const elementwise = (magnitude: number): Tolerance => ({ rtol: 1e-5, atol: 16 * ULP * magnitude });

/** {@link elementwise} for the O(1) inputs most cases draw. */
const ELEMENTWISE = elementwise(1);

/**
 * Sums of `terms` float32 values (products, in a matmul) each at most `magnitude`:
 * kernels that sum in different orders differ by rounding that grows like √terms ulps of
 * the magnitude. 30 times that leaves room for blocked and threaded orders (wasm's was
 * measured at a quarter of it for K = 784); at that size an element of the MNIST layer's
 * product that is a relative 1e-4 off fails once it exceeds about 2.2, a sixteenth of
 * the typical element, where 1e-5 times the largest element let it pass below 17.
 */
const summing = (terms: number, magnitude: number): Tolerance => ({
  rtol: 1e-5,
  atol: 30 * Math.sqrt(terms) * ULP * magnitude,
});

/** Adam's step, a square root and a division of moments: gpu.js was measured within a relative 1e-5. */
const ADAM: Tolerance = { rtol: 5e-5, atol: 16 * ULP };

/**
 * A whole training step, every kernel composed: 30 times the largest deviation measured
 * on wasm and gpu.js (3e-8 beyond a relative 1e-5).
 */
const TRAINING_STEP: Tolerance = { rtol: 1e-5, atol: 1e-6 };

/** Element `i`'s agreement within `tolerance`; NaN agrees with NaN, and infinities must match exactly. */
const close = (a: number, e: number, { rtol, atol }: Tolerance): boolean =>
  Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)) || Math.abs(a - e) <= atol + rtol * Math.abs(e);

const compare = (what: string, actual: Values, expected: Values, tolerance: Tolerance): void => {
  if (actual.length !== expected.length)
    throw new Error(`${what}: ${actual.length} elements, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!close(a, e, tolerance)) {
      const allowed = tolerance.atol + tolerance.rtol * Math.abs(e);
      throw new Error(`${what}: element ${i} is ${a}, expected ${e} (error ${Math.abs(a - e)}, allowed ${allowed})`);
    }
  }
};

/** Runs `op` on tensors placed on `backend` and on the reference, and compares every output. */
const agree = (
  backend: Backend,
  what: string,
  inputs: readonly Tensor[],
  op: (...xs: Tensor[]) => Tensor | readonly Tensor[],
  tolerance: Tolerance,
): void => {
  const asList = (r: Tensor | readonly Tensor[]): readonly Tensor[] => (Array.isArray(r) ? r : [r as Tensor]);
  const expected = asList(op(...inputs.map((x) => T.toBackend(x, jsBackend))));
  const actual = asList(op(...inputs.map((x) => T.toBackend(x, backend))));
  const label = `${what} on ${inputs.map((x) => `${x.dtype}${showShape(x.shape)}`).join(', ')}`;
  expected.forEach((e, i) => {
    if (actual[i].dtype !== e.dtype || showShape(actual[i].shape) !== showShape(e.shape)) {
      throw new Error(
        `${label}: output ${i} is ${actual[i].dtype}${showShape(actual[i].shape)}, expected ${e.dtype}${showShape(e.shape)}`,
      );
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
 * against the plain TypeScript reference on random float32 inputs, element by element
 * within a relative plus an absolute tolerance (see {@link Tolerance}; exactly, for ops
 * that only move or compare values).
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
              summing(k, 4),
            ),
          ),
        ),
      ),
  },
  {
    name: 'batched matmul with a broadcast operand',
    run: (backend) => {
      agree(
        backend,
        'matmul',
        [randomValues(1, [3, 5, 7]), randomValues(2, [7, 4])],
        (a, b) => T.matmul(a, b),
        summing(7, 4),
      );
      agree(
        backend,
        'matmul',
        [randomValues(3, [2, 1, 4, 6]), randomValues(4, [3, 6, 5])],
        (a, b) => T.matmul(a, b),
        summing(6, 4),
      );
    },
  },
  {
    name: 'dense with each fused activation, with and without bias',
    run: (backend) =>
      activations.forEach((activation) =>
        [
          [128, 784, 128],
          [7, 13, 3],
          [1, 1500, 10],
        ].forEach(([m, k, n], i) => {
          agree(
            backend,
            `dense(${activation})`,
            [randomValues(i, [m, k]), randomValues(i + 1, [k, n], -0.1, 0.1), randomValues(i + 2, [n])],
            (x, w, b) => T.dense(x, w, b, activation),
            summing(k + 1, 0.2),
          );
          agree(
            backend,
            `dense(${activation}, no bias)`,
            [randomValues(i, [m, k]), randomValues(i + 1, [k, n], -0.1, 0.1)],
            (x, w) => T.dense(x, w, undefined, activation),
            summing(k, 0.2),
          );
        }),
      ),
  },
  {
    name: 'unary ops',
    run: (backend) => {
      const cases: [string, (x: Tensor) => Tensor, number, number][] = [
        ['neg', T.neg, -3, 3],
        ['abs', T.abs, -3, 3],
        ['sign', T.sign, -3, 3],
        ['square', T.square, -3, 3],
        ['sqrt', T.sqrt, 0, 4],
        ['reciprocal', T.reciprocal, 0.5, 4],
        ['exp', T.exp, -5, 5],
        ['expm1', T.expm1, -2, 2],
        ['log', T.log, 0.1, 5],
        ['log1p', T.log1p, -0.5, 5],
        ['sin', T.sin, -4, 4],
        ['cos', T.cos, -4, 4],
        ['erf', T.erf, -3, 3],
        ['floor', T.floor, -3, 3],
        ['ceil', T.ceil, -3, 3],
        ['round', T.round, -3, 3],
        ['relu', T.relu, -3, 3],
        ['sigmoid', T.sigmoid, -8, 8],
        ['tanh', T.tanh, -4, 4],
        ['softplus', T.softplus, -8, 8],
        ['gelu', T.gelu, -4, 4],
      ];
      cases.forEach(([name, op, lo, hi]) =>
        SEEDS.forEach((seed) => agree(backend, name, [randomValues(seed, [3, 1025], lo, hi)], op, ELEMENTWISE)),
      );
    },
  },
  {
    name: 'binary ops and comparisons with broadcasting',
    run: (backend) => {
      const shapes: [number[], number[]][] = [
        [
          [4, 5],
          [4, 5],
        ],
        [[128, 128], [128]],
        [
          [3, 1, 5],
          [4, 1],
        ],
        [[7], []],
        [
          [2, 3],
          [1, 3],
        ],
      ];
      const ops: [string, (a: Tensor, b: Tensor) => Tensor, Tolerance][] = [
        ['add', T.add, ELEMENTWISE],
        ['sub', T.sub, ELEMENTWISE],
        ['mul', T.mul, ELEMENTWISE],
        ['div', T.div, ELEMENTWISE],
        ['pow', (a, b) => T.pow(T.abs(a), b), ELEMENTWISE],
        ['maximum', T.maximum, EXACT],
        ['minimum', T.minimum, EXACT],
        ['equal', (a, b) => T.equal(T.round(a), T.round(b)), EXACT],
        ['notEqual', (a, b) => T.notEqual(T.round(a), T.round(b)), EXACT],
        ['less', T.less, EXACT],
        ['lessEqual', T.lessEqual, EXACT],
        ['greater', T.greater, EXACT],
        ['greaterEqual', T.greaterEqual, EXACT],
        ['where', (a, b) => T.where(T.greater(a, 0), a, b), EXACT],
      ];
      ops.forEach(([name, op, tolerance]) =>
        shapes.forEach(([sa, sb], i) =>
          agree(backend, name, [randomValues(i, sa), randomValues(i + 50, sb, 0.5, 2)], op, tolerance),
        ),
      );
    },
  },
  {
    name: 'casts',
    run: (backend) => {
      const x = randomValues(5, [6, 7], -5, 5);
      agree(backend, 'cast float32→int32', [x], (v) => T.cast(v, 'int32'), EXACT);
      agree(backend, 'cast float32→bool', [T.round(x)], (v) => T.cast(v, 'bool'), EXACT);
      agree(backend, 'cast int32→float32', [T.cast(x, 'int32')], (v) => T.cast(v, 'float32'), EXACT);
    },
  },
  {
    name: 'reductions over chosen axes',
    run: (backend) => {
      const x = randomValues(9, [6, 129, 5]);
      const axesList: (number | number[] | undefined)[] = [undefined, 0, 1, 2, [0, 2], [1, 2]];
      axesList.forEach((axes) => {
        const label = `axes=${JSON.stringify(axes)}`;
        agree(backend, `sum ${label}`, [x], (v) => T.sum(v, axes), summing(x.size, 2));
        agree(backend, `max ${label}`, [x], (v) => T.max(v, axes), EXACT);
        agree(backend, `min ${label}`, [x], (v) => T.min(v, axes), EXACT);
      });
      agree(
        backend,
        'sum of the bias gradient shape',
        [randomValues(3, [128, 128])],
        (v) => T.sum(v, 0),
        summing(128, 2),
      );
      [0, 1, 2].forEach((axis) => agree(backend, `argmax axis=${axis}`, [x], (v) => T.argmax(v, axis), EXACT));
      agree(backend, 'argmin', [x], (v) => T.argmin(v, 1), EXACT);
    },
  },
  {
    name: 'layout ops: transpose, slice, pad, concat, gather and its gradient, oneHot',
    run: (backend) => {
      const x = randomValues(4, [5, 6, 7]);
      agree(backend, 'transpose', [x], (v) => T.transpose(v, [2, 0, 1]), EXACT);
      agree(backend, 'transpose 2-D', [randomValues(1, [33, 65])], (v) => T.transpose(v), EXACT);
      agree(backend, 'slice', [x], (v) => T.slice(v, [1, 2, 3], [3, 4, 2]), EXACT);
      agree(
        backend,
        'pad',
        [x],
        (v) =>
          T.pad(
            v,
            [
              [1, 0],
              [0, 2],
              [3, 1],
            ],
            -1,
          ),
        EXACT,
      );
      agree(backend, 'concat', [x, randomValues(5, [5, 2, 7])], (a, b) => T.concat([a, b], 1), EXACT);
      const indices = T.tensor([4, 0, 0, 2], { dtype: 'int32' });
      agree(backend, 'gather', [x], (v) => T.gather(v, indices, 0), EXACT);
      agree(
        backend,
        'gather gradient (scatter-add)',
        [x],
        (v) => T.grad((p: Tensor) => T.sum(T.mul(T.gather(p, indices, 1), 3)))(v),
        summing(4, 3),
      );
      agree(backend, 'oneHot', [T.tensor([3, 0, 9, -1], { dtype: 'int32' })], (i) => T.oneHot(i, 5), EXACT);
    },
  },
  {
    name: 'softmax, logSoftmax and the fused sparse cross-entropy with its gradient',
    run: (backend) =>
      [
        [128, 10],
        [3, 1025],
        [1, 1],
      ].forEach(([rows, cols], i) => {
        const logits = randomValues(i, [rows, cols], -20, 20);
        const labels = T.randint(T.key(i), [rows], 0, cols);
        agree(backend, 'softmax', [logits], (v) => T.softmax(v), ELEMENTWISE);
        agree(backend, 'logSoftmax', [logits], (v) => T.logSoftmax(v), elementwise(40));
        agree(
          backend,
          'sparseSoftmaxCrossEntropy',
          [logits, labels],
          (v, l) => T.sparseSoftmaxCrossEntropy(v, l),
          elementwise(40),
        );
        agree(
          backend,
          'sparseSoftmaxCrossEntropy gradient',
          [logits, labels],
          (v, l) => T.grad((p: Tensor) => T.mean(T.sparseSoftmaxCrossEntropy(p, l)))(v),
          elementwise(1 / rows),
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
        // Each output sums a window of products of |x|, |dy| <= 2 with |kernel| <= 0.5.
        const [kh, kw, inChannels, outChannels] = kernelShape;
        agree(
          backend,
          `conv2d ${label}`,
          [x, kernel],
          (a, k) => T.conv2d(a, k, options),
          summing(kh * kw * inChannels, 1),
        );
        agree(
          backend,
          `conv2dBackpropInput ${label}`,
          [dy, kernel],
          (d, k) => T.conv2dBackpropInput(d, k, g),
          summing(kh * kw * outChannels, 1),
        );
        agree(
          backend,
          `conv2dBackpropFilter ${label}`,
          [x, dy],
          (a, d) => T.conv2dBackpropFilter(a, d, g),
          summing(g.batch * g.outHeight * g.outWidth, 4),
        );
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
        // Gradients sum at most a window's worth of cotangents (|dy| <= 2) into each input.
        const window = typeof poolSize === 'number' ? poolSize * poolSize : poolSize[0] * poolSize[1];
        agree(backend, `maxPool2d ${label}`, [x], (a) => T.maxPool2d(a, poolSize, options), EXACT);
        agree(backend, `maxPool2dGrad ${label}`, [dy, x], (d, a) => T.maxPool2dGrad(d, a, g), summing(window, 2));
        agree(
          backend,
          `maxPool2dGradGrad ${label}`,
          [randomValues(i + 200, xShape), x],
          (v, a) => T.maxPool2dGradGrad(v, a, g),
          EXACT,
        );
        agree(
          backend,
          `avgPool2d ${label}`,
          [randomValues(i + 300, xShape)],
          (a) => T.avgPool2d(a, poolSize, options),
          summing(window, 2),
        );
        agree(backend, `avgPool2dGrad ${label}`, [dy], (d) => T.avgPool2dGrad(d, g), summing(window, 2));
      }),
  },
  {
    name: 'fused Adam step',
    run: (backend) =>
      SEEDS.forEach((seed) => {
        const step = {
          beta1: 0.9,
          beta2: 0.999,
          epsilon: 1e-7,
          correction1: 1 / (1 - 0.9 ** seed),
          correction2: 1 / (1 - 0.999 ** seed),
        };
        agree(
          backend,
          'adamStep',
          [
            randomValues(seed, [1027]),
            randomValues(seed + 1, [1027], -0.1, 0.1),
            randomValues(seed + 2, [1027], 0, 0.01),
          ],
          (g, m, v) => {
            const r = T.adamStep(g, m, v, step);
            return [r.direction, r.m, r.v];
          },
          ADAM,
        );
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
      agree(
        backend,
        'training step',
        [params.w1, params.b1, params.w2, params.b2, x, labels],
        (w1, b1, w2, b2, xs, ys) => {
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
        },
        TRAINING_STEP,
      );
    },
  },
];
