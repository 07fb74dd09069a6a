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
import { randomFloats } from './reference.js';

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

  it('propagates NaN through max pooling as the reference does', () => {
    const g = pool2dGeometry('maxPool2d', [1, 2, 2, 2], 2, {});
    const x = Float32Array.from([1, Number.NaN, Number.NaN, 2, 3, 0, 0, 1]);
    for (const r of runtimes)
      expect(Array.from(pool(r, 'maxPool', host(x), undefined, g).read())).toEqual(
        Array.from(jsBackend.maxPool2d(host(x), g).read()),
      );
  });
});
