import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conv2dGeometry,
  hostStorage,
  jsBackend,
  pool2dGeometry,
  type Conv2DGeometry,
  type Padding,
  type Storage,
} from '@axon/tensor';
import { startWasmRuntime } from '../src/edge/runtime.js';
import type { WasmRuntime } from '../src/runtime/runtime.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../src/kernels/conv.js';
import { pool } from '../src/kernels/pool.js';
import { matmul } from '../src/kernels/matmul.js';
import { float32Bits, randomFloats } from './reference.js';

// The convolution and pooling kernels against the reference backend's, element by
// element over random geometries, and bit-identical on 1, 2 and 3 threads.

let runtimes: WasmRuntime[];
beforeAll(async () => {
  runtimes = await Promise.all([1, 2, 3].map((threads) => startWasmRuntime({ threads })));
});
afterAll(() => Promise.all(runtimes.map((r) => r.dispose())));

const host = (values: Float32Array): Storage<'float32'> => hostStorage('float32', values);

/**
 * The project's parity tolerance for sums of `terms` products of values up to
 * `magnitude`: `|a − e| ≤ atol + 1e-5·|e|`, with atol the float32 rounding that summing
 * in another order leaves (see the tensor package's parity suite).
 */
const expectClose = (
  what: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  terms: number,
  magnitude: number,
): void => {
  expect(actual.length, what).toBe(expected.length);
  const atol = 30 * Math.sqrt(terms) * 2 ** -24 * magnitude;
  for (let i = 0; i < expected.length; i++) {
    const allowed = atol + 1e-5 * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= allowed) && !Object.is(actual[i], expected[i])) {
      throw new Error(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} (allowed ${allowed})`);
    }
  }
};

const sameOnEveryThreadCount = (what: string, results: Float32Array[]): void => {
  results
    .slice(1)
    .forEach((r, i) => expect(Array.from(r), `${what} on ${i + 2} threads`).toEqual(Array.from(results[0])));
};

const pair = (max: number) => fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max }));

/** Random convolution geometries: odd sizes, uneven same padding, strides or dilations. */
const convArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    size: pair(9),
    inChannels: fc.integer({ min: 1, max: 6 }),
    outChannels: fc.integer({ min: 1, max: 9 }),
    window: pair(4),
    strides: pair(3),
    dilation: pair(2),
    padding: fc.constantFrom<Padding>('valid', 'same'),
    seed: fc.nat(1000),
  })
  .map((s) => ({ ...s, dilation: s.strides[0] > 1 || s.strides[1] > 1 ? ([1, 1] as [number, number]) : s.dilation }))
  .chain((s) => {
    try {
      const g = conv2dGeometry([s.batch, ...s.size, s.inChannels], [...s.window, s.inChannels, s.outChannels], s);
      return fc.constant({ ...s, g });
    } catch {
      return fc.constant(null);
    }
  })
  .filter((s): s is NonNullable<typeof s> => s !== null);

const sizes = (g: Conv2DGeometry) => ({
  x: g.batch * g.inHeight * g.inWidth * g.inChannels,
  kernel: g.filterHeight * g.filterWidth * g.inChannels * g.outChannels,
  y: g.batch * g.outHeight * g.outWidth * g.outChannels,
});

describe('wasm conv2d and its two gradients', () => {
  it('agree with the reference element by element over random geometries, identically on 1, 2 and 3 threads', () => {
    fc.assert(
      fc.property(convArb, ({ g, seed }) => {
        const n = sizes(g);
        const x = randomFloats(seed, n.x);
        const kernel = randomFloats(seed + 1, n.kernel);
        const dy = randomFloats(seed + 2, n.y);
        const taps = g.filterHeight * g.filterWidth * g.inChannels;
        const checks = [
          {
            what: 'conv2d',
            expected: jsBackend.conv2d(host(x), host(kernel), g),
            run: (r: WasmRuntime) => conv2d(r, host(x), host(kernel), g),
            terms: taps,
          },
          {
            what: 'conv2dBackpropInput',
            expected: jsBackend.conv2dBackpropInput(host(dy), host(kernel), g),
            run: (r: WasmRuntime) => conv2dBackpropInput(r, host(dy), host(kernel), g),
            terms: g.filterHeight * g.filterWidth * g.outChannels,
          },
          {
            what: 'conv2dBackpropFilter',
            expected: jsBackend.conv2dBackpropFilter(host(x), host(dy), g),
            run: (r: WasmRuntime) => conv2dBackpropFilter(r, host(x), host(dy), g),
            terms: g.batch * g.outHeight * g.outWidth,
          },
        ];
        for (const { what, expected, run, terms } of checks) {
          const results = runtimes.map((r) => Float32Array.from(run(r).read()));
          expectClose(`${what} ${JSON.stringify(g)}`, results[0], expected.read(), terms, 4);
          sameOnEveryThreadCount(what, results);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('cuts a batch whose patches exceed the chunk into chunks of images with the same results', () => {
    const g = conv2dGeometry([5, 7, 6, 3], [3, 2, 3, 4], { padding: 'same', strides: [1, 2] });
    const n = sizes(g);
    const x = randomFloats(1, n.x),
      kernel = randomFloats(2, n.kernel),
      dy = randomFloats(3, n.y);
    // Two images' patches per chunk: chunks of 2, 2 and 1.
    const chunk = 2 * g.outHeight * g.outWidth * g.filterHeight * g.filterWidth * g.inChannels * 4;
    for (const r of runtimes) {
      expect(Array.from(conv2d(r, host(x), host(kernel), g, undefined, chunk).read())).toEqual(
        Array.from(conv2d(r, host(x), host(kernel), g).read()),
      );
      expect(Array.from(conv2dBackpropInput(r, host(dy), host(kernel), g, chunk).read())).toEqual(
        Array.from(conv2dBackpropInput(r, host(dy), host(kernel), g).read()),
      );
      expectClose(
        'chunked conv2dBackpropFilter',
        conv2dBackpropFilter(r, host(x), host(dy), g, chunk).read(),
        jsBackend.conv2dBackpropFilter(host(x), host(dy), g).read(),
        g.batch * g.outHeight * g.outWidth,
        4,
      );
    }
  });
});

/** Random pooling geometries: overlapping windows, uneven same padding. */
const poolArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    size: pair(9),
    channels: fc.integer({ min: 1, max: 6 }),
    window: pair(4),
    strides: pair(3),
    padding: fc.constantFrom<Padding>('valid', 'same'),
    seed: fc.nat(1000),
    ties: fc.boolean(),
  })
  .chain((s) => {
    try {
      return fc.constant({ ...s, g: pool2dGeometry('maxPool2d', [s.batch, ...s.size, s.channels], s.window, s) });
    } catch {
      return fc.constant(null);
    }
  })
  .filter((s): s is NonNullable<typeof s> => s !== null);

/** The patch matrix `[pixels, taps]` of NHWC `x`, in JavaScript. */
const im2col = (x: Float32Array, g: Conv2DGeometry): Float32Array => {
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const out = new Float32Array(g.batch * g.outHeight * g.outWidth * taps);
  let i = 0;
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < g.outHeight; oy++)
      for (let ox = 0; ox < g.outWidth; ox++)
        for (let kh = 0; kh < g.filterHeight; kh++)
          for (let kw = 0; kw < g.filterWidth; kw++)
            for (let c = 0; c < g.inChannels; c++) {
              const iy = oy * g.strideHeight - g.padTop + kh * g.dilationHeight;
              const ix = ox * g.strideWidth - g.padLeft + kw * g.dilationWidth;
              const inside = iy >= 0 && iy < g.inHeight && ix >= 0 && ix < g.inWidth;
              out[i++] = inside ? x[((b * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + c] : 0;
            }
  return out;
};

describe('wasm conv2dBackpropFilter', () => {
  it('equals the product patches(x)ᵀ · dy bit for bit, whether it computes that or its transpose', () => {
    // More taps than output channels (computed transposed) and fewer, with padding and strides.
    const cases: [number[], number[], Padding, number][] = [
      [[2, 9, 8, 5], [3, 3, 5, 4], 'valid', 1],
      [[3, 7, 7, 2], [3, 2, 2, 16], 'same', 2],
      [[2, 12, 11, 1], [3, 3, 1, 32], 'valid', 1],
    ];
    cases.forEach(([xShape, kShape, padding, strides], i) => {
      const g = conv2dGeometry(xShape, kShape, { padding, strides });
      const n = sizes(g);
      const x = randomFloats(10 + i, n.x),
        dy = randomFloats(20 + i, n.y);
      const taps = kShape[0] * kShape[1] * kShape[2];
      const pixels = g.batch * g.outHeight * g.outWidth;
      const spec = { batch: 1, m: taps, k: pixels, n: g.outChannels, transposeA: true, transposeB: false };
      for (const r of runtimes) {
        const expected = matmul(r, host(im2col(x, g)), host(dy), { ...spec, aBatched: false, bBatched: false });
        expect(float32Bits(conv2dBackpropFilter(r, host(x), host(dy), g).read())).toEqual(float32Bits(expected.read()));
      }
    });
  });
});

describe('patches kept from the forward convolution for the kernel gradient', () => {
  it('give the kernel gradient of the same input bit for bit, also after newer inputs pushed them out', () => {
    // Patches of 60 x 13 x 13 x 288 floats are 11.7 MB: a 32 MB budget keeps two of them,
    // so the first inputs' are given up by the time their gradient runs.
    const cases: [number[], number[], number][] = [
      [[16, 28, 28, 1], [3, 3, 1, 32], 2],
      [[60, 15, 15, 32], [3, 3, 32, 64], 4],
    ];
    for (const r of runtimes.slice(0, 2)) {
      const inputs = cases.flatMap(([xShape, kShape, count], i) =>
        Array.from({ length: count }, (_, j) => {
          const g = conv2dGeometry(xShape, kShape, {});
          const n = sizes(g);
          return {
            g,
            x: host(randomFloats(100 * i + j, n.x)),
            kernel: host(randomFloats(7, n.kernel)),
            dy: randomFloats(9, n.y),
          };
        }),
      );
      // Forward passes first (each keeps its patches), then the gradients, newest first.
      const forward = inputs.map(({ g, x, kernel }) => float32Bits(conv2d(r, x, kernel, g).read()));
      [...inputs].reverse().forEach(({ g, x, kernel, dy }, back) => {
        const i = inputs.length - 1 - back;
        const fresh = host(Float32Array.from(x.read()));
        expect(float32Bits(conv2dBackpropFilter(r, x, host(dy), g).read()), `input ${i}`).toEqual(
          float32Bits(conv2dBackpropFilter(r, fresh, host(dy), g).read()),
        );
        // A second forward pass of a kept input reuses its patches: the same output.
        expect(float32Bits(conv2d(r, x, kernel, g).read()), `forward ${i}`).toEqual(forward[i]);
      });
    }
  });
});

describe('wasm pooling and its gradients', () => {
  it('agree with the reference (max pooling exactly, ties to the first maximum) over random geometries, identically on 1, 2 and 3 threads', () => {
    fc.assert(
      fc.property(poolArb, ({ g, seed, ties }) => {
        const inputSize = g.batch * g.inHeight * g.inWidth * g.inChannels;
        const outputSize = g.batch * g.outHeight * g.outWidth * g.inChannels;
        // Values rounded to a few levels make ties common.
        const x = ties
          ? randomFloats(seed, inputSize).map((v) => Math.round(v * 2) / 2)
          : randomFloats(seed, inputSize);
        const dy = randomFloats(seed + 1, outputSize);
        const values = randomFloats(seed + 2, inputSize);
        const window = g.filterHeight * g.filterWidth;
        const checks = [
          {
            what: 'maxPool2d',
            expected: jsBackend.maxPool2d(host(x), g),
            run: (r: WasmRuntime) => pool(r, 'maxPool', host(x), undefined, g),
            terms: 0,
          },
          {
            what: 'maxPool2dGrad',
            expected: jsBackend.maxPool2dGrad(host(dy), host(x), g),
            run: (r: WasmRuntime) => pool(r, 'maxPoolGrad', host(dy), host(x), g),
            terms: window,
          },
          {
            what: 'maxPool2dGradGrad',
            expected: jsBackend.maxPool2dGradGrad(host(values), host(x), g),
            run: (r: WasmRuntime) => pool(r, 'maxPoolGradGrad', host(values), host(x), g),
            terms: 0,
          },
          {
            what: 'avgPool2d',
            expected: jsBackend.avgPool2d(host(x), g),
            run: (r: WasmRuntime) => pool(r, 'avgPool', host(x), undefined, g),
            terms: window,
          },
          {
            what: 'avgPool2dGrad',
            expected: jsBackend.avgPool2dGrad(host(dy), g),
            run: (r: WasmRuntime) => pool(r, 'avgPoolGrad', host(dy), undefined, g),
            terms: window,
          },
        ];
        for (const { what, expected, run, terms } of checks) {
          const results = runtimes.map((r) => Float32Array.from(run(r).read()));
          if (terms === 0)
            expect(Array.from(results[0]), `${what} ${JSON.stringify(g)}`).toEqual(Array.from(expected.read()));
          else expectClose(`${what} ${JSON.stringify(g)}`, results[0], expected.read(), terms, 2);
          sameOnEveryThreadCount(what, results);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('max-pools same-padded windows that reach past an odd image as the reference does (padding never wins)', () => {
    const g = pool2dGeometry('maxPool2d', [2, 5, 3, 4], 2, { padding: 'same' });
    // All negative: a padded element counted as 0 would win every window at the edge.
    const x = randomFloats(4, 2 * 5 * 3 * 4, -2, -1);
    const dy = randomFloats(5, 2 * g.outHeight * g.outWidth * 4);
    for (const r of runtimes) {
      expect(Array.from(pool(r, 'maxPool', host(x), undefined, g).read())).toEqual(
        Array.from(jsBackend.maxPool2d(host(x), g).read()),
      );
      expect(Array.from(pool(r, 'maxPoolGrad', host(dy), host(x), g).read())).toEqual(
        Array.from(jsBackend.maxPool2dGrad(host(dy), host(x), g).read()),
      );
    }
  });

  it('equals the reference bit for bit where windows tile the image (the Keras default), edges left uncovered included', () => {
    fc.assert(
      fc.property(
        fc.record({
          batch: fc.integer({ min: 1, max: 3 }),
          height: fc.integer({ min: 2, max: 11 }),
          width: fc.integer({ min: 2, max: 11 }),
          channels: fc.constantFrom(4, 8, 12, 32),
          size: fc.constantFrom<[number, number]>([2, 2], [3, 3], [2, 3], [1, 2]),
          seed: fc.integer({ min: 0, max: 10_000 }),
        }),
        ({ batch, height, width, channels, size, seed }) => {
          fc.pre(height >= size[0] && width >= size[1]);
          const g = pool2dGeometry('maxPool2d', [batch, height, width, channels], size, {});
          // Few levels (ties), NaN, and −0 in the output gradient (0 + −0 is +0 in the reference).
          const x = randomFloats(seed, batch * height * width * channels).map((v, i) =>
            i % 17 === 5 ? Number.NaN : Math.round(v * 2) / 2,
          );
          const dy = randomFloats(seed + 1, batch * g.outHeight * g.outWidth * channels).map((v, i) =>
            i % 11 === 3 ? -0 : v,
          );
          const forward = float32Bits(jsBackend.maxPool2d(host(x), g).read());
          const backward = float32Bits(jsBackend.maxPool2dGrad(host(dy), host(x), g).read());
          for (const r of runtimes) {
            expect(float32Bits(pool(r, 'maxPool', host(x), undefined, g).read())).toEqual(forward);
            expect(float32Bits(pool(r, 'maxPoolGrad', host(dy), host(x), g).read())).toEqual(backward);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('propagates NaN through max pooling as the reference does', () => {
    const g = pool2dGeometry('maxPool2d', [1, 2, 2, 2], 2, {});
    const x = Float32Array.from([1, Number.NaN, Number.NaN, 2, 3, 0, 0, 1]);
    for (const r of runtimes)
      expect(Array.from(pool(r, 'maxPool', host(x), undefined, g).read())).toEqual(
        Array.from(jsBackend.maxPool2d(host(x), g).read()),
      );
  });
});
