import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { conv2dGeometry, hostStorage, jsBackend, type Conv2DGeometry, type Padding } from '@axon/tensor';
import { startWasmRuntime } from '../src/edge/runtime.js';
import { createWasmBackend, type WasmBackend } from '../src/edge/index.js';
import type { WasmRuntime } from '../src/runtime/runtime.js';
import { matmul } from '../src/kernels/matmul.js';
import { winogradApplies, winogradConv2d } from '../src/kernels/winograd.js';
import { float32Bits, randomFloats } from './reference.js';

// Winograd's F(2×2, 3×3) convolution against the float64 convolution within a bound
// derived from its arithmetic, bit-identical on 1, 2 and 3 threads and in chunks, its
// fused epilogue equal to the ops it replaces; the bound shown to catch a wrong transform.

let runtimes: WasmRuntime[];
beforeAll(async () => {
  runtimes = await Promise.all([1, 2, 3].map((threads) => startWasmRuntime({ threads })));
});
afterAll(() => Promise.all(runtimes.map((r) => r.dispose())));

const f32 = (values: Float32Array) => hostStorage('float32', values);

/** Random 3×3, stride-1 geometries: odd and even sizes, uneven same padding, any channel count (vectors of four and ragged). */
const geometryArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 9 }),
    width: fc.integer({ min: 1, max: 9 }),
    inChannels: fc.integer({ min: 1, max: 13 }),
    outChannels: fc.integer({ min: 1, max: 13 }),
    padding: fc.constantFrom<Padding>('valid', 'same'),
    relu: fc.boolean(),
    useBias: fc.boolean(),
    seed: fc.nat(1000),
  })
  .filter((s) => s.padding === 'same' || (s.height >= 3 && s.width >= 3))
  .map((s) => ({
    ...s,
    g: conv2dGeometry([s.batch, s.height, s.width, s.inChannels], [3, 3, s.inChannels, s.outChannels], s),
  }));

interface Case {
  readonly g: Conv2DGeometry;
  readonly x: Float32Array;
  readonly kernel: Float32Array;
  readonly bias: Float32Array | undefined;
  readonly relu: boolean;
}

const caseOf = (s: { g: Conv2DGeometry; seed: number; useBias: boolean; relu: boolean }): Case => ({
  g: s.g,
  x: randomFloats(s.seed, s.g.batch * s.g.inHeight * s.g.inWidth * s.g.inChannels),
  kernel: randomFloats(s.seed + 1, 9 * s.g.inChannels * s.g.outChannels),
  bias: s.useBias ? randomFloats(s.seed + 2, s.g.outChannels) : undefined,
  relu: s.relu,
});

const run = (r: WasmRuntime, c: Case, tileBytes?: number): Float32Array =>
  winogradConv2d(
    r,
    f32(c.x),
    f32(c.kernel),
    c.g,
    { bias: c.bias && f32(c.bias), activation: c.relu ? 'relu' : 'linear' },
    tileBytes,
  ).read();

/** `activation(conv2d(x, kernel) + bias)` in float64. */
const float64Reference = (c: Case): Float64Array => {
  const y = jsBackend
    .conv2d(hostStorage('float64', Float64Array.from(c.x)), hostStorage('float64', Float64Array.from(c.kernel)), c.g)
    .read();
  const out = c.g.outChannels;
  return Float64Array.from(y, (v, i) => {
    const z = v + (c.bias?.[i % out] ?? 0);
    return c.relu ? Math.max(z, 0) : z;
  });
};

/**
 * For each output, `Σ_c (Σ|x|)(Σ|w|)`, the window's four by four inputs of channel c
 * (those of the output's tile) and the kernel's nine taps from c: the sum of |x·w| over
 * every pair of them, which the transforms mix.
 */
const pairMagnitudes = (c: Case): Float64Array => {
  const { g } = c;
  const out = new Float64Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  const taps = Array.from({ length: g.inChannels * g.outChannels }, (_, cf) => {
    const [ch, f] = [Math.floor(cf / g.outChannels), cf % g.outChannels];
    let s = 0;
    for (let t = 0; t < 9; t++) s += Math.abs(c.kernel[(t * g.inChannels + ch) * g.outChannels + f]);
    return s;
  });
  for (let n = 0; n < g.batch; n++)
    for (let oy = 0; oy < g.outHeight; oy++)
      for (let ox = 0; ox < g.outWidth; ox++) {
        const top = 2 * (oy >> 1) - g.padTop,
          left = 2 * (ox >> 1) - g.padLeft;
        const windows = new Float64Array(g.inChannels);
        for (let iy = Math.max(0, top); iy < Math.min(g.inHeight, top + 4); iy++)
          for (let ix = Math.max(0, left); ix < Math.min(g.inWidth, left + 4); ix++)
            for (let ch = 0; ch < g.inChannels; ch++)
              windows[ch] += Math.abs(c.x[((n * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + ch]);
        for (let f = 0; f < g.outChannels; f++) {
          let s = 0;
          for (let ch = 0; ch < g.inChannels; ch++) s += windows[ch] * taps[ch * g.outChannels + f];
          out[((n * g.outHeight + oy) * g.outWidth + ox) * g.outChannels + f] = s;
        }
      }
  return out;
};

/**
 * The outputs that miss the float64 result by more than the float32 arithmetic can.
 * Along any path an input and a kernel value take, the transforms round at most 2
 * (input: a column, then a row of Bᵀ) + 4 (kernel: two sums of three, then a halving,
 * which is exact) + 4 (output: two sums of three) times, the product once, and the sum
 * over the `in4` padded channels `in4` times; the bias adds one more. So the error is at
 * most `(in4 + 12)·2^-24` times the result computed in absolute values, which is at most
 * `4·Σ|x·w|` over the window's pairs ({@link pairMagnitudes}: Σ_i |G_ik|·|Bᵀ_im| ≤ 2 in
 * each dimension, and |Aᵀ| ≤ 1), plus |bias|. relu only shrinks differences.
 */
const misses = (actual: ArrayLike<number>, expected: Float64Array, c: Case): number[] => {
  const magnitudes = pairMagnitudes(c);
  const in4 = (c.g.inChannels + 3) & ~3;
  const out = c.g.outChannels;
  const bad: number[] = [];
  for (let i = 0; i < expected.length; i++) {
    const allowed = (in4 + 12) * 2 ** -24 * (4 * magnitudes[i] + Math.abs(c.bias?.[i % out] ?? 0));
    if (!(Math.abs(actual[i] - expected[i]) <= allowed)) bad.push(i);
  }
  return bad;
};

/** The transforms of F(2×2, 3×3) (see `assembly/conv/winograd.ts`). */
const transforms = {
  bt: [
    [1, 0, -1, 0],
    [0, 1, 1, 0],
    [0, -1, 1, 0],
    [0, 1, 0, -1],
  ],
  g: [
    [1, 0, 0],
    [0.5, 0.5, 0.5],
    [0.5, -0.5, 0.5],
    [0, 0, 1],
  ],
  at: [
    [1, 1, 1, 0],
    [0, 1, -1, -1],
  ],
};
type Transforms = typeof transforms;

/** `l · m · rᵀ` in float64. */
const sandwich = (l: number[][], m: number[][], r: number[][]): number[][] =>
  l.map((li) => r.map((rj) => li.reduce((s, lik, k) => s + lik * m[k].reduce((t, mkl, l2) => t + mkl * rj[l2], 0), 0)));

/** Winograd's algorithm in float64 with the given transforms (`Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A` per tile and channel pair), as the wasm kernels tile the output. */
const float64Winograd = (c: Case, t: Transforms): Float64Array => {
  const { g } = c;
  const y = new Float64Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  for (let f = 0; f < g.outChannels; f++)
    for (let ch = 0; ch < g.inChannels; ch++) {
      const w = [0, 1, 2].map((kh) =>
        [0, 1, 2].map((kw) => c.kernel[((kh * 3 + kw) * g.inChannels + ch) * g.outChannels + f]),
      );
      const u = sandwich(t.g, w, t.g);
      for (let n = 0; n < g.batch; n++)
        for (let ty = 0; ty < Math.ceil(g.outHeight / 2); ty++)
          for (let tx = 0; tx < Math.ceil(g.outWidth / 2); tx++) {
            const d = [0, 1, 2, 3].map((i) =>
              [0, 1, 2, 3].map((j) => {
                const iy = 2 * ty - g.padTop + i,
                  ix = 2 * tx - g.padLeft + j;
                const inside = iy >= 0 && iy < g.inHeight && ix >= 0 && ix < g.inWidth;
                return inside ? c.x[((n * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + ch] : 0;
              }),
            );
            const v = sandwich(t.bt, d, t.bt);
            const m = u.map((row, i) => row.map((uij, j) => uij * v[i][j]));
            const tile = sandwich(t.at, m, t.at);
            for (let i = 0; i < 2; i++)
              for (let j = 0; j < 2; j++)
                if (2 * ty + i < g.outHeight && 2 * tx + j < g.outWidth)
                  y[((n * g.outHeight + 2 * ty + i) * g.outWidth + 2 * tx + j) * g.outChannels + f] += tile[i][j];
          }
    }
  const out = g.outChannels;
  return y.map((v, i) => {
    const z = v + (c.bias?.[i % out] ?? 0);
    return c.relu ? Math.max(z, 0) : z;
  });
};

describe('Winograd F(2×2, 3×3) convolution on wasm', () => {
  it('agrees with the float64 convolution within its error bound, identically on 1, 2 and 3 threads', () => {
    fc.assert(
      fc.property(geometryArb, (s) => {
        const c = caseOf(s);
        const expected = float64Reference(c);
        const results = runtimes.map((r) => run(r, c));
        expect(misses(results[0], expected, c), JSON.stringify(c.g)).toEqual([]);
        results.slice(1).forEach((r, i) => expect(float32Bits(r), `${i + 2} threads`).toEqual(float32Bits(results[0])));
      }),
      { numRuns: 60 },
    );
  });

  it('would catch a wrong transform: every one-entry change of Bᵀ, G or Aᵀ breaks the bound', () => {
    const c = caseOf({
      g: conv2dGeometry([2, 7, 8, 5], [3, 3, 5, 6], { padding: 'same' }),
      seed: 7,
      useBias: true,
      relu: false,
    });
    const expected = float64Reference(c);
    // The float64 model with the right transforms is the convolution (far inside the bound).
    expect(misses(float64Winograd(c, transforms), expected, c)).toEqual([]);
    const mutants = (['bt', 'g', 'at'] as const).flatMap((name) =>
      transforms[name].flatMap((row, i) =>
        row.map((value, j) => {
          const changed = transforms[name].map((r) => [...r]);
          // A sign flipped, or a zero made ½.
          changed[i][j] = value === 0 ? 0.5 : -value;
          return { label: `${name}[${i}][${j}] = ${changed[i][j]}`, t: { ...transforms, [name]: changed } };
        }),
      ),
    );
    expect(mutants).toHaveLength(16 + 12 + 8);
    for (const { label, t } of mutants)
      expect(misses(float64Winograd(c, t), expected, c).length, label).toBeGreaterThan(0);
  });

  it('fuses bias and relu exactly as adding and clamping afterwards', () => {
    fc.assert(
      fc.property(geometryArb, (s) => {
        const c = caseOf({ ...s, useBias: true, relu: true });
        const plain = run(runtimes[1], { ...c, bias: undefined, relu: false });
        const bias = c.bias ?? new Float32Array(0);
        const after = plain.map((v, i) => Math.max(Math.fround(v + bias[i % c.g.outChannels]), 0));
        expect(float32Bits(run(runtimes[1], c))).toEqual(float32Bits(after));
      }),
      { numRuns: 20 },
    );
  });

  it('gives the same bits when the batch goes in chunks of one or two images', () => {
    const c = caseOf({
      g: conv2dGeometry([5, 9, 7, 6], [3, 3, 6, 9], { padding: 'same' }),
      seed: 3,
      useBias: true,
      relu: true,
    });
    for (const r of runtimes) {
      const whole = float32Bits(run(r, c));
      expect(float32Bits(run(r, c, 1))).toEqual(whole);
      // Two images: 16 elements of 5 × 4 tiles, 8 input channels (V) and 12 output (M).
      expect(float32Bits(run(r, c, 2 * 16 * 20 * (8 + 12) * 4))).toEqual(whole);
    }
  });

  it('runs only for 3×3, stride-1, undilated kernels with enough input channels and a linear or relu epilogue', () => {
    const at = (x: number[], k: number[], options: T.Conv2DOptions = {}) => conv2dGeometry(x, k, options);
    const relu = { activation: 'relu' } as const;
    expect(winogradApplies(at([1, 13, 13, 32], [3, 3, 32, 64]), relu)).toBe(true);
    expect(winogradApplies(at([1, 13, 13, 32], [3, 3, 32, 64], { padding: 'same' }), { activation: 'linear' })).toBe(
      true,
    );
    expect(winogradApplies(at([1, 28, 28, 1], [3, 3, 1, 32]), relu)).toBe(false);
    expect(winogradApplies(at([1, 28, 28, 4], [3, 3, 4, 32]), relu)).toBe(false);
    expect(winogradApplies(at([1, 28, 28, 8], [3, 3, 8, 1]), relu)).toBe(true);
    expect(winogradApplies(at([1, 13, 13, 32], [3, 3, 32, 64], { strides: 2 }), relu)).toBe(false);
    expect(winogradApplies(at([1, 13, 13, 32], [3, 3, 32, 64], { dilation: 2 }), relu)).toBe(false);
    expect(winogradApplies(at([1, 13, 13, 32], [5, 5, 32, 64]), relu)).toBe(false);
    expect(winogradApplies(at([1, 13, 13, 32], [3, 3, 32, 64]), { activation: 'sigmoid' })).toBe(false);
  });
});

describe('the wasm backend with and without Winograd', () => {
  let backends: { on: WasmBackend[]; off: WasmBackend };
  beforeAll(async () => {
    backends = {
      on: await Promise.all([1, 2].map((threads) => createWasmBackend({ threads }))),
      off: await createWasmBackend({ threads: 2, winograd: false }),
    };
  });
  afterAll(() => Promise.all([...backends.on, backends.off].map((b) => b.dispose())));

  it('runs eligible convolutions by Winograd unless told not to, which keeps the product over patches bit for bit', () => {
    const g = conv2dGeometry([2, 9, 8, 8], [3, 3, 8, 12], { padding: 'same' });
    const x = randomFloats(1, 2 * 9 * 8 * 8),
      kernel = randomFloats(2, 9 * 8 * 12);
    const convolve = (b: WasmBackend) => {
      const before = b.usage().convolutions;
      const y = T.conv2d(
        T.tensor(x, { shape: [2, 9, 8, 8], backend: b }),
        T.tensor(kernel, { shape: [3, 3, 8, 12], backend: b }),
        {
          padding: 'same',
        },
      );
      const after = b.usage().convolutions;
      return {
        y: float32Bits(y.values),
        winograd: after.winograd - before.winograd,
        im2col: after.im2col - before.im2col,
      };
    };
    expect(backends.on.map((b) => b.winograd)).toEqual([true, true]);
    expect(backends.off.winograd).toBe(false);
    const on = convolve(backends.on[1]);
    expect({ winograd: on.winograd, im2col: on.im2col }).toEqual({ winograd: 1, im2col: 0 });
    const off = convolve(backends.off);
    expect({ winograd: off.winograd, im2col: off.im2col }).toEqual({ winograd: 0, im2col: 1 });
    expect(off.y).not.toEqual(on.y);
    // The product over patches: each output pixel's window (zeros for padding) times the kernel.
    const patches = new Float32Array(g.batch * g.outHeight * g.outWidth * 9 * g.inChannels);
    let p = 0;
    for (let n = 0; n < g.batch; n++)
      for (let oy = 0; oy < g.outHeight; oy++)
        for (let ox = 0; ox < g.outWidth; ox++)
          for (let kh = 0; kh < 3; kh++)
            for (let kw = 0; kw < 3; kw++)
              for (let ch = 0; ch < g.inChannels; ch++, p++) {
                const iy = oy - g.padTop + kh,
                  ix = ox - g.padLeft + kw;
                const inside = iy >= 0 && iy < g.inHeight && ix >= 0 && ix < g.inWidth;
                patches[p] = inside ? x[((n * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + ch] : 0;
              }
    const pixels = g.batch * g.outHeight * g.outWidth;
    const spec = {
      batch: 1,
      m: pixels,
      k: 9 * g.inChannels,
      n: g.outChannels,
      transposeA: false,
      transposeB: false,
      aBatched: false,
      bBatched: false,
    };
    expect(off.y).toEqual(float32Bits(matmul(runtimes[1], f32(patches), f32(kernel), spec).read()));
  });

  it('trains a convnet deterministically with Winograd in its forward pass: the same bits on every run and on 1 and 2 threads', () => {
    const model = T.key(0);
    const train = (backend: WasmBackend): number[][] => {
      const [k1, k2, k3] = T.split(model, 3);
      let params = {
        k1: T.uniform(k1, [3, 3, 1, 8], { minval: -0.5, maxval: 0.5, backend }),
        k2: T.uniform(k2, [3, 3, 8, 16], { minval: -0.2, maxval: 0.2, backend }),
        b2: T.zeros([16], { backend }),
        w: T.uniform(k3, [4 * 4 * 16, 10], { minval: -0.1, maxval: 0.1, backend }),
      };
      const x = T.uniform(T.key(1), [16, 14, 14, 1], { backend });
      const labels = T.randint(T.key(2), [16], 0, 10);
      const loss = (p: typeof params) => {
        const h = T.maxPool2d(T.fusedConv2d(x, p.k1, undefined, 'relu'), 2);
        const h2 = T.fusedConv2d(h, p.k2, p.b2, 'relu');
        return T.mean(T.sparseSoftmaxCrossEntropy(T.matmul(T.reshape(h2, [16, 4 * 4 * 16]), p.w), labels));
      };
      for (let step = 0; step < 3; step++) {
        const { grads } = T.valueAndGrad(loss)(params);
        params = T.treeZipWith((q: T.Tensor, g: T.Tensor) => T.sub(q, T.mul(g, 0.1)), params, grads);
      }
      return [params.k1, params.k2, params.b2, params.w].map((q) => float32Bits(q.values));
    };
    const before = backends.on.map((b) => b.usage().convolutions.winograd);
    const [one, two] = backends.on.map(train);
    expect(backends.on.map((b, i) => b.usage().convolutions.winograd - before[i])).toEqual([3, 3]);
    expect(two).toEqual(one);
    expect(train(backends.on[1])).toEqual(two);
  });
});
