import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { agreesWithReference, expectAgree, gpuBackend, randomTensor, testMode } from './support.js';

const backend = gpuBackend();
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** Shapes of rank 0..maxRank with extents 1..maxExtent. */
const shapeArb = (maxRank: number, maxExtent: number): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: maxExtent }), { maxLength: maxRank });

/** Inner dimensions: small odd ones, and ones past gpu.js's default loop cap of 1000. */
const innerArb = fc.oneof(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1001, max: 1600 }));

describe(`kernels in gpu.js's ${testMode} mode agree with the reference backend`, () => {
  it('matmul for random sizes, transposes and batch broadcasting, including K > 1000', () => {
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 9 }),
          k: innerArb,
          n: fc.integer({ min: 1, max: 9 }),
          batchA: fc.constantFrom([], [2], [3, 1]),
          batchB: fc.constantFrom([], [1], [3, 2]),
          transposeA: fc.boolean(),
          transposeB: fc.boolean(),
          seed: seedArb,
        }),
        ({ m, k, n, batchA, batchB, transposeA, transposeB, seed }) => {
          const a = randomTensor(seed, [...batchA, ...(transposeA ? [k, m] : [m, k])]);
          const b = randomTensor(seed + 1, [...batchB, ...(transposeB ? [n, k] : [k, n])]);
          agreesWithReference(backend, [a, b], (x, y) => T.matmul(x, y, { transposeA, transposeB }));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('sums K = 4096 products to float32 accuracy (compensated)', () => {
    // Large same-sign terms: an uncompensated float32 sum drifts by ~1e-5 relative here.
    const a = randomTensor(1, [2, 4096], 0.5, 1);
    const b = randomTensor(2, [4096, 3], 0.5, 1);
    agreesWithReference(backend, [a, b], (x, y) => T.matmul(x, y), 2e-7);
  });

  it('binary ops and where for random broadcast shapes', () => {
    const ops: ((a: T.Tensor, b: T.Tensor) => T.Tensor)[] = [
      T.add,
      T.sub,
      T.mul,
      T.div,
      T.maximum,
      T.minimum,
      T.less,
      T.greaterEqual,
      (a, b) => T.where(T.less(a, b), T.sub(a, b), b),
    ];
    fc.assert(
      fc.property(
        shapeArb(3, 4),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        fc.nat(ops.length - 1),
        seedArb,
        (outShape, drop, ones, op, seed) => {
          const aShape = outShape.slice(drop).map((d, i) => (ones[i] ? 1 : d));
          const a = randomTensor(seed, aShape);
          const b = randomTensor(seed + 1, outShape, 0.5, 2);
          agreesWithReference(backend, [a, b], ops[op], op < 4 ? 1e-6 : 0);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('pow of negative bases with integer exponents, as JavaScript computes it', () => {
    const bases = T.tensor([-2, -1.5, -3, 0.5, 2, -0.75]);
    const exponents = T.tensor([3, 2, -1, 0.5, -2, 4]);
    agreesWithReference(backend, [bases, exponents], T.pow);
  });

  it('transpose for random permutations and slice for random boxes, exactly', () => {
    fc.assert(
      fc.property(
        shapeArb(4, 5).filter((s) => s.length > 0),
        seedArb,
        (shape, seed) => {
          const x = randomTensor(seed, shape);
          const perm = fc.sample(fc.shuffledSubarray([...shape.keys()], { minLength: shape.length }), {
            numRuns: 1,
            seed,
          })[0];
          agreesWithReference(backend, [x], (v) => T.transpose(v, perm), 0);
          const begin = shape.map((d, i) => (seed >> i) % d);
          const size = shape.map((d, i) => Math.max(1, d - begin[i] - ((seed >> (i + 4)) % 2)));
          agreesWithReference(backend, [x], (v) => T.slice(v, begin, size), 0);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('reductions over random axes of random shapes', () => {
    fc.assert(
      fc.property(
        shapeArb(3, 6).filter((s) => s.length > 0),
        seedArb,
        fc.constantFrom('sum', 'max', 'min', 'argmax', 'argmin', 'mean'),
        (shape, seed, op) => {
          const axis = seed % shape.length;
          const x = randomTensor(seed, shape);
          const reduce = { sum: T.sum, max: T.max, min: T.min, mean: T.mean, argmax: T.argmax, argmin: T.argmin }[op];
          agreesWithReference(backend, [x], (v) => reduce(v, axis), op === 'sum' || op === 'mean' ? 1e-6 : 0);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('softmax, logSoftmax and the cross-entropy for random row and column counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 40 }), seedArb, (rows, cols, seed) => {
        const logits = randomTensor(seed, [rows, cols], -30, 30);
        const labels = T.randint(T.key(seed), [rows], 0, cols);
        agreesWithReference(backend, [logits], (v) => T.softmax(v));
        agreesWithReference(backend, [logits], (v) => T.logSoftmax(v));
        agreesWithReference(backend, [logits, labels], (v, l) => T.sparseSoftmaxCrossEntropy(v, l));
      }),
      { numRuns: 8 },
    );
  });

  it('conv2d, its input and kernel gradients, and pooling with its gradients for random geometries', () => {
    const pair = (max: number) => fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max }));
    fc.assert(
      fc.property(
        fc.record({
          batch: fc.integer({ min: 1, max: 2 }),
          size: pair(7),
          channels: fc.integer({ min: 1, max: 4 }),
          outChannels: fc.integer({ min: 1, max: 4 }),
          window: pair(3),
          strides: pair(3),
          dilation: pair(2),
          padding: fc.constantFrom('valid' as const, 'same' as const),
          seed: seedArb,
        }),
        ({ batch, size, channels, outChannels, window, strides, dilation, padding, seed }) => {
          const fits = (d: number, i: 0 | 1) => padding === 'same' || size[i] >= (window[i] - 1) * d + 1;
          fc.pre(fits(dilation[0], 0) && fits(dilation[1], 1));
          const x = randomTensor(seed, [batch, ...size, channels]);
          const kernel = randomTensor(seed + 1, [...window, channels, outChannels]);
          const g = T.conv2dGeometry(x.shape, kernel.shape, { strides, dilation, padding });
          const dy = randomTensor(seed + 2, [batch, g.outHeight, g.outWidth, outChannels]);
          agreesWithReference(backend, [x, kernel], (a, k) => T.conv2d(a, k, { strides, dilation, padding }));
          agreesWithReference(backend, [dy, kernel], (d, k) => T.conv2dBackpropInput(d, k, g));
          agreesWithReference(backend, [x, dy], (a, d) => T.conv2dBackpropFilter(a, d, g));
          fc.pre(fits(1, 0) && fits(1, 1));
          const p = T.pool2dGeometry('maxPool2d', x.shape, window, { strides, padding });
          const pooledDy = randomTensor(seed + 3, [batch, p.outHeight, p.outWidth, channels]);
          const tied = T.round(x);
          agreesWithReference(backend, [tied], (a) => T.maxPool2d(a, window, { strides, padding }), 0);
          agreesWithReference(backend, [pooledDy, tied], (d, a) => T.maxPool2dGrad(d, a, p));
          agreesWithReference(backend, [x, tied], (v, a) => T.maxPool2dGradGrad(v, a, p), 0);
          agreesWithReference(backend, [x], (a) => T.avgPool2d(a, window, { strides, padding }));
          agreesWithReference(backend, [pooledDy], (d) => T.avgPool2dGrad(d, p));
        },
      ),
      { numRuns: 4 },
    );
  });

  it('keeps a cross-entropy of 2e-9 against a logit of 28, which float32 log(sum(exp)) rounds to 0', () => {
    const logits = T.tensor([[27.91928482055664, -11.119100570678711, 7.9817962646484375]]);
    const label = T.tensor([0], { dtype: 'int32' });
    agreesWithReference(backend, [logits, label], (x, l) => T.sparseSoftmaxCrossEntropy(x, l), 1e-5);
    agreesWithReference(backend, [logits], (x) => T.logSoftmax(x), 1e-7);
  });

  it('unary ops keep their precision near zero, where naive formulas lose it', () => {
    const tiny = T.tensor([1e-7, -3e-6, 2e-5, -1e-4, 4e-4, -1e-3]);
    for (const op of [T.expm1, T.log1p, T.tanh, T.erf, T.sign, T.sigmoid])
      agreesWithReference(backend, [tiny], op, 1e-6);
  });

  it('round halves to even, like NumPy', () => {
    const halves = T.tensor([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49999997, -0.49999997, 8388607.5]);
    agreesWithReference(backend, [halves], T.round, 0);
  });
});

describe(`the gpu.js backend in its ${testMode} mode`, () => {
  it('gives comparison results as bool and indices as int32, exactly', () => {
    const x = T.toBackend(randomTensor(3, [4, 5]), backend);
    expect(T.greater(x, 0).dtype).toBe('bool');
    expect(T.argmax(x, 1).dtype).toBe('int32');
    expectAgree(T.argmax(x, 1), T.argmax(T.toBackend(x, T.jsBackend), 1), 0);
  });

  it('leaves float64 work (gradient checks) to the reference backend, exactly', () => {
    const x = T.uniform(T.key(4), [3, 7], { dtype: 'float64' });
    const w = T.uniform(T.key(5), [7, 2], { dtype: 'float64' });
    agreesWithReference(backend, [x, w], (a, b) => T.tanh(T.matmul(a, b)), 0);
  });

  it('runs an op on mixed backends on itself, the higher priority', () => {
    const onGpu = T.toBackend(randomTensor(6, [3, 3]), backend);
    const onHost = randomTensor(7, [3, 3]);
    expect(T.add(onGpu, onHost).backend).toBe(backend);
    expect(T.add(onHost, onGpu).backend).toBe(backend);
  });

  it("takes another instance's storage as input, reading it through Storage.read()", () => {
    const other = gpuBackend();
    const x = T.toBackend(randomTensor(8, [5, 6]), other);
    const y = T.exp(x);
    agreesWithReference(backend, [y], (v) => T.mul(v, 2));
  });

  it('reuses a compiled kernel only for operands of the same sizes', () => {
    // Both slices compile to the same source; gpu.js bakes each operand's texture size
    // into the shader, so sharing the kernel would read the second input wrongly.
    agreesWithReference(backend, [randomTensor(9, [100])], (v) => T.slice(v, [0], [10]), 0);
    agreesWithReference(backend, [randomTensor(10, [20])], (v) => T.slice(v, [0], [10]), 0);
  });

  it('keeps tensors past the device limit in host memory and still computes them', () => {
    const big = T.toBackend(T.ones([2 ** 22 + 1]), backend);
    expect(T.sum(T.add(big, 1)).item()).toBe(2 * (2 ** 22 + 1));
  });

  it('handles empty tensors', () => {
    const empty = T.toBackend(T.zeros([0, 3]), backend);
    expect(T.exp(empty).shape).toEqual([0, 3]);
    expect(T.matmul(T.toBackend(T.zeros([2, 0]), backend), T.toBackend(T.zeros([0, 3]), backend)).values).toEqual(
      new Float32Array(6),
    );
  });
});
