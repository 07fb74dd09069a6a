import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsBackend, key, tensor, type PRNGKey } from '@axon/tensor';
import {
  compose,
  fillModes,
  gaussianNoise,
  imageAugmentation,
  interpolations,
  randomRotation,
  randomTranslation,
  randomZoom,
  tensorAugmentation,
  type Affine,
  type FillMode,
  type NdArray,
} from '../src/index.js';

/** Random float32 image batches `[n, height, width]` or `[n, height, width, channels]` with values in [0, 1]. */
const imagesArb = (options: { square?: boolean } = {}): fc.Arbitrary<NdArray<Float32Array>> =>
  fc
    .record({
      n: fc.integer({ min: 1, max: 3 }),
      height: fc.integer({ min: 1, max: 9 }),
      width: fc.integer({ min: 1, max: 9 }),
      channels: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    })
    .chain(({ n, height, width, channels }) => {
      const shape = [n, height, options.square ? height : width, ...(channels === undefined ? [] : [channels])];
      const size = shape.reduce((a, b) => a * b, 1);
      return fc
        .float32Array({ min: 0, max: 1, noNaN: true, minLength: size, maxLength: size })
        .map((values) => ({ values, shape }));
    });

const keyArb = fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((seed): PRNGKey => key(seed));
const fillModeArb = fc.constantFrom(...fillModes);
const interpolationArb = fc.constantFrom(...interpolations);

/** Pixel (x, y), channel ch of image i. */
const at = (images: NdArray<Float32Array>, i: number, y: number, x: number, ch = 0): number => {
  const [, height, width, channels = 1] = images.shape;
  return images.values[((i * height + y) * width + x) * channels + ch];
};

/**
 * Index `i` of a row of `size` pixels in the row extended by the fill mode, built the
 * way Keras's documentation draws it: (d c b a | a b c d | d c b a) and so on, one copy
 * of the row on each side. -1 stands for the constant.
 */
const extendedIndex = (i: number, size: number, mode: FillMode): number => {
  const row = Array.from({ length: size }, (_, j) => j);
  const reversed = [...row].reverse();
  const sides: Record<FillMode, [number[], number[]]> = {
    reflect: [reversed, reversed],
    wrap: [row, row],
    nearest: [row.map(() => 0), row.map(() => size - 1)],
    constant: [row.map(() => -1), row.map(() => -1)],
  };
  const [before, after] = sides[mode];
  return [...before, ...row, ...after][size + i];
};

describe('image augmentation: Keras conventions, as properties', () => {
  it('zero factors and no noise leave every image exactly as it was, whatever the fill and interpolation', () => {
    fc.assert(
      fc.property(imagesArb(), keyArb, fillModeArb, interpolationArb, (images, k, fillMode, interpolation) => {
        const augment = imageAugmentation({
          translation: { heightFactor: 0, widthFactor: 0 },
          rotation: { factor: 0 },
          zoom: { heightFactor: 0 },
          noise: { stddev: 0 },
          fillMode,
          interpolation,
        });
        expect(augment(k, images)).toEqual(images);
      }),
    );
  });

  it('a whole-pixel translation moves the content right and down, reading outside the image by the fill mode', () => {
    fc.assert(
      fc.property(
        imagesArb().chain((images) =>
          fc.tuple(
            fc.constant(images),
            fc.integer({ min: 1 - images.shape[2], max: images.shape[2] - 1 }),
            fc.integer({ min: 1 - images.shape[1], max: images.shape[1] - 1 }),
          ),
        ),
        keyArb,
        fillModeArb,
        interpolationArb,
        fc.float({ min: -2, max: 2, noNaN: true }),
        ([images, dx, dy], k, fillMode, interpolation, fillValue) => {
          const [n, height, width, channels = 1] = images.shape;
          const shifted = randomTranslation(
            { heightFactor: [dy / height, dy / height], widthFactor: [dx / width, dx / width] },
            { fillMode, fillValue, interpolation },
          )(k, images);
          for (let i = 0; i < n; i++)
            for (let y = 0; y < height; y++)
              for (let x = 0; x < width; x++)
                for (let ch = 0; ch < channels; ch++) {
                  const sx = extendedIndex(x - dx, width, fillMode);
                  const sy = extendedIndex(y - dy, height, fillMode);
                  const expected = sx < 0 || sy < 0 ? Math.fround(fillValue) : at(images, i, sy, sx, ch);
                  expect(at(shifted, i, y, x, ch)).toBeCloseTo(expected, 5);
                }
        },
      ),
    );
  });

  it('rotation by half a turn flips both axes; a quarter turn with a positive factor turns the content counter-clockwise', () => {
    fc.assert(
      fc.property(imagesArb({ square: true }), keyArb, (images, k) => {
        const [n, size, , channels = 1] = images.shape;
        const half = randomRotation({ factor: [0.5, 0.5] })(k, images);
        const quarter = randomRotation({ factor: [0.25, 0.25] })(k, images);
        for (let i = 0; i < n; i++)
          for (let y = 0; y < size; y++)
            for (let x = 0; x < size; x++)
              for (let ch = 0; ch < channels; ch++) {
                expect(at(half, i, y, x, ch)).toBeCloseTo(at(images, i, size - 1 - y, size - 1 - x, ch), 5);
                // Counter-clockwise: the top row's right end comes to the left column's top.
                expect(at(quarter, i, y, x, ch)).toBeCloseTo(at(images, i, x, size - 1 - y, ch), 5);
              }
      }),
    );
  });

  it('a positive zoom zooms out about the centre: a pixel d from the centre comes to d / (1 + factor)', () => {
    const size = 9;
    const images = { values: new Float32Array(size * size), shape: [1, size, size] };
    images.values[4 * size + 8] = 1; // 4 pixels right of the centre
    images.values[0 * size + 4] = 0.5; // 4 pixels above it
    const out = randomZoom({ heightFactor: [1, 1] }, { fillMode: 'constant' })(key(0), images);
    expect(at(out, 0, 4, 6)).toBe(1);
    expect(at(out, 0, 2, 4)).toBe(0.5);
    expect(out.values.reduce((a, b) => a + b, 0)).toBe(1.5);
    // Zooming in by the same amount the other way brings them back out to the edge.
    const back = randomZoom({ heightFactor: [-0.5, -0.5] }, { fillMode: 'constant' })(key(0), out);
    expect(at(back, 0, 4, 8)).toBe(1);
    expect(at(back, 0, 0, 4)).toBe(0.5);
  });

  it('keeps values within the range of the image and the fill value: every output is a weighted mean of inputs', () => {
    fc.assert(
      fc.property(imagesArb(), keyArb, fillModeArb, interpolationArb, (images, k, fillMode, interpolation) => {
        const out = imageAugmentation({
          translation: { heightFactor: 0.3, widthFactor: 0.3 },
          rotation: { factor: 0.5 },
          zoom: { heightFactor: [-0.5, 0.5], widthFactor: 0.2 },
          fillMode,
          fillValue: 0.5,
          interpolation,
        })(k, images);
        const lo = Math.min(...images.values, fillMode === 'constant' ? 0.5 : Infinity);
        const hi = Math.max(...images.values, fillMode === 'constant' ? 0.5 : -Infinity);
        expect(out.shape).toEqual(images.shape);
        out.values.forEach((v) => {
          expect(v).toBeGreaterThanOrEqual(lo - 1e-6);
          expect(v).toBeLessThanOrEqual(hi + 1e-6);
        });
      }),
    );
  });

  it('the same key gives the same batch; another key, another; each image of a batch gets its own draw', () => {
    const augment = imageAugmentation({
      translation: { heightFactor: 0.2, widthFactor: 0.2 },
      rotation: { factor: 0.1 },
      zoom: { heightFactor: 0.2 },
      noise: { stddev: 0.1 },
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const one = Float32Array.from({ length: 64 }, (_, i) => (i % 8 < 4 ? 1 : 0) * (i < 32 ? 1 : 0.5));
        const images = { values: Float32Array.from({ length: 4 * 64 }, (_, i) => one[i % 64]), shape: [4, 8, 8] };
        const first = augment(key(seed), images);
        expect(augment(key(seed), images)).toEqual(first);
        expect(augment(key(seed + 1), images).values).not.toEqual(first.values);
        const rows = [0, 1, 2, 3].map((i) => first.values.slice(i * 64, (i + 1) * 64));
        expect(new Set(rows.map((r) => r.join(','))).size).toBe(4);
      }),
      { numRuns: 20 },
    );
  });

  it('noise is zero-mean normal with the given standard deviation, drawn independently for every value', () => {
    const images = { values: new Float32Array(2 * 100 * 100).fill(0.5), shape: [2, 100, 100] };
    const out = gaussianNoise({ stddev: 0.1 })(key(3), images);
    const deltas = Array.from(out.values, (v) => v - 0.5);
    const mean = deltas.reduce((a, b) => a + b, 0) / deltas.length;
    const std = Math.sqrt(deltas.reduce((a, b) => a + (b - mean) ** 2, 0) / deltas.length);
    // 20,000 draws: the mean's standard error is 0.0007, the std's about 0.0005.
    expect(Math.abs(mean)).toBeLessThan(0.003);
    expect(Math.abs(std - 0.1)).toBeLessThan(0.003);
    expect(imageAugmentation({ noise: { stddev: 0.1 } })(key(3), images)).toEqual(out);
  });

  it('composes maps as functions: compose(first, second)(p) = second(first(p))', () => {
    const apply = ([a, b, c, d, e, f]: Affine, [x, y]: [number, number]): [number, number] => [
      a * x + b * y + c,
      d * x + e * y + f,
    ];
    const entry = fc.double({ min: -3, max: 3, noNaN: true });
    const affineArb: fc.Arbitrary<Affine> = fc.tuple(entry, entry, entry, entry, entry, entry);
    fc.assert(
      fc.property(
        affineArb,
        affineArb,
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        (first, second, x, y) => {
          const composed = apply(compose(first, second), [x, y]);
          const step = apply(second, apply(first, [x, y]));
          expect(composed[0]).toBeCloseTo(step[0], 9);
          expect(composed[1]).toBeCloseTo(step[1], 9);
        },
      ),
    );
  });

  it('works on tensors, keeping their backend, dtype and shape', () => {
    const augment = imageAugmentation({ rotation: { factor: 0.1 }, noise: { stddev: 0.05 } });
    const values = Float32Array.from({ length: 2 * 5 * 5 }, (_, i) => (i % 7) / 7);
    const x = tensor(values, { shape: [2, 5, 5], dtype: 'float64' });
    const out = tensorAugmentation(augment)(key(4), x);
    expect(out.dtype).toBe('float64');
    expect(out.backend).toBe(jsBackend);
    expect(out.shape).toEqual([2, 5, 5]);
    expect(Float32Array.from(out.values)).toEqual(augment(key(4), { values, shape: [2, 5, 5] }).values);
    expect(() => tensorAugmentation(augment)(key(4), tensor([[[1]]], { dtype: 'int32' }))).toThrow(
      /tensorAugmentation: expects float inputs, got int32\[1,1,1\]/,
    );
  });

  it('refuses options outside Keras’s ranges, naming the option', () => {
    const bad: [() => unknown, RegExp][] = [
      [
        () => imageAugmentation({ translation: { heightFactor: 1.5, widthFactor: 0 } }),
        /^translation\.heightFactor: expected a number or a \[lower, upper\] pair within \[-1, 1\], got 1\.5$/,
      ],
      [
        () => imageAugmentation({ translation: { heightFactor: 0, widthFactor: [0.2, -0.2] } }),
        /translation\.widthFactor: .* got \[0\.2,-0\.2\]/,
      ],
      [() => imageAugmentation({ zoom: { heightFactor: [-1, 0] } }), /zoom\.heightFactor: .*within \(-1, Infinity\]/],
      [() => imageAugmentation({ zoom: { heightFactor: 0.1, widthFactor: Number.NaN } }), /zoom\.widthFactor/],
      [() => imageAugmentation({ rotation: { factor: Infinity } }), /rotation\.factor/],
      [
        () => imageAugmentation({ noise: { stddev: -0.1 } }),
        /noise\.stddev: expected a non-negative number, got -0\.1/,
      ],
      [() => gaussianNoise({ stddev: Number.NaN }), /noise\.stddev/],
      [
        () =>
          imageAugmentation({ rotation: { factor: 0.1 } })(key(0), { values: new Float32Array(784), shape: [1, 784] }),
        /expects images \[n, height, width\] or \[n, height, width, channels\], got \[1,784\]/,
      ],
    ];
    bad.forEach(([run, message]) => expect(run).toThrow(message));
  });
});
