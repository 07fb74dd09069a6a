import fc from 'fast-check';
import { flow, pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { ByteCodedStorage, gather, slice, tensor } from '@axon/tensor';
import {
  flatten,
  mapInputs,
  ndArrayToTensor,
  oneHot,
  scaleToUnit,
  standardization,
  standardize,
  takeRows,
  trainValidationSplit,
  unitScaledTensor,
  type LabeledDataset,
} from '../src/index.js';
import { indexedDataset, sampleOfRow, seedArb } from './support/datasets.js';

describe('scaleToUnit', () => {
  it('maps every byte b to b / 255 in float32, keeping the shape', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const scaled = scaleToUnit({ values: bytes, shape: [bytes.length] });
        expect(scaled.shape).toEqual([bytes.length]);
        bytes.forEach((b, i) => expect(scaled.values[i]).toBe(Math.fround(b / 255)));
      }),
    );
    expect(scaleToUnit({ values: Uint8Array.of(0, 255), shape: [2] }).values).toEqual(Float32Array.of(0, 1));
  });
});

describe('standardize', () => {
  const sampleArb = fc
    .array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 6, maxLength: 60 })
    .filter((xs) => xs.length % 3 === 0);

  it('gives mean 0 and std 1 overall, or per feature', () => {
    fc.assert(
      fc.property(sampleArb, fc.boolean(), (xs, perFeature) => {
        const x = { values: Float32Array.from(xs), shape: [xs.length / 3, 3] };
        const stats = standardization(x, { perFeature });
        const restats = standardization(standardize(stats)(x), { perFeature });
        // Features with almost no spread amplify float32 rounding; the zero-spread case has its own test.
        stats.std.forEach((spread, j) => {
          if (spread < 1e-2) return;
          expect(Math.abs(restats.mean[j])).toBeLessThan(1e-4);
          expect(Math.abs(restats.std[j] - 1)).toBeLessThan(1e-3);
        });
      }),
    );
  });

  it('leaves constant features at 0 instead of dividing by zero', () => {
    const x = { values: Float32Array.of(5, 1, 5, 3), shape: [2, 2] };
    const stats = standardization(x, { perFeature: true });
    expect(stats).toEqual({ mean: Float64Array.of(5, 2), std: Float64Array.of(1, 1) });
    expect(standardize(stats)(x).values).toEqual(Float32Array.of(0, -1, 0, 1));
  });

  it('refuses per-feature statistics of another width', () => {
    const stats = standardization({ values: new Float32Array(6), shape: [2, 3] }, { perFeature: true });
    expect(() => standardize(stats)({ values: new Float32Array(4), shape: [2, 2] })).toThrow(RangeError);
  });
});

describe('flatten and mapInputs', () => {
  it('turns [n, 28, 28] into [n, 784] over the same values', () => {
    const x = { values: new Uint8Array(2 * 784), shape: [2, 28, 28] };
    expect(flatten(x)).toEqual({ values: x.values, shape: [2, 784] });
    expect(flatten(x).values).toBe(x.values);
  });

  it('applies a pipeline to the inputs and keeps labels and class names', () => {
    const data: LabeledDataset<Uint8Array> = {
      inputs: { values: Uint8Array.of(0, 51, 102, 255), shape: [1, 2, 2] },
      labels: Int32Array.of(1),
      classNames: ['a', 'b'],
    };
    const mapped = pipe(data, mapInputs(flow(scaleToUnit, flatten)));
    expect(mapped).toEqual({
      inputs: { values: Float32Array.of(0, 0.2, 0.4, 1), shape: [1, 4] },
      labels: data.labels,
      classNames: ['a', 'b'],
    });
  });
});

describe('oneHot', () => {
  it('has a single 1 per row, at the label', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((k) => fc.tuple(fc.constant(k), fc.array(fc.nat(k - 1)))),
        ([k, labels]) => {
          const encoded = oneHot(k)(Int32Array.from(labels));
          expect(encoded.shape).toEqual([labels.length, k]);
          labels.forEach((label, i) => {
            const row = Array.from(encoded.values.subarray(i * k, (i + 1) * k));
            expect(row).toEqual(Array.from({ length: k }, (_, j) => (j === label ? 1 : 0)));
          });
        },
      ),
    );
    expect(() => oneHot(3)(Int32Array.of(3))).toThrow(RangeError);
  });
});

describe('takeRows', () => {
  it('gathers rows of any element type in the order asked', () => {
    const x = { values: Int16Array.of(1, 2, 3, 4, 5, 6), shape: [3, 2] };
    expect(takeRows(x, [2, 2, 0])).toEqual({ values: Int16Array.of(5, 6, 5, 6, 1, 2), shape: [3, 2] });
    expect(() => takeRows(x, [3])).toThrow(RangeError);
  });
});

describe('trainValidationSplit', () => {
  const rows = (data: LabeledDataset<Float32Array>, width: number) =>
    Array.from({ length: data.labels.length }, (_, r) => sampleOfRow(data.inputs.values, width, r));

  it('gives disjoint parts that together hold every sample once, of the asked size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.option(seedArb, { nil: undefined }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (n, seed, fraction) => {
          const data = indexedDataset(n, 2);
          const { train, validation } = trainValidationSplit({
            validation: fraction,
            ...(seed === undefined ? {} : { seed }),
          })(data);
          expect(validation.labels.length).toBe(Math.round(n * fraction));
          const all = [...rows(train, 2), ...rows(validation, 2)].sort((a, b) => a - b);
          expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
          expect(train.classNames).toBe(data.classNames);
        },
      ),
    );
  });

  it('holds out the last samples without a seed, as Keras does, and a seeded sample with one', () => {
    const data = indexedDataset(10, 1);
    expect(rows(trainValidationSplit({ validation: 3 })(data).validation, 1)).toEqual([7, 8, 9]);
    const seeded = trainValidationSplit({ validation: 3, seed: 1 })(data);
    expect(rows(seeded.validation, 1)).toEqual(
      rows(trainValidationSplit({ validation: 3, seed: 1 })(data).validation, 1),
    );
    expect(rows(seeded.validation, 1)).not.toEqual([7, 8, 9]);
  });

  it('refuses sizes that are neither a fraction nor a count', () => {
    const data = indexedDataset(10, 1);
    expect(() => trainValidationSplit({ validation: 11 })(data)).toThrow(RangeError);
    expect(() => trainValidationSplit({ validation: 1.5 })(data)).toThrow(RangeError);
  });
});

describe('ndArrayToTensor', () => {
  it('keeps shape and values', () => {
    const t = ndArrayToTensor({ values: Float32Array.of(1, 2, 3, 4, 5, 6), shape: [3, 2] });
    expect([t.dtype, t.shape, t.toArray()]).toEqual([
      'float32',
      [3, 2],
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]);
  });
});

describe('unitScaledTensor', () => {
  it('holds bit for bit what scaleToUnit gives, whole and in gathered or sliced rows, keeping the bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 3, maxLength: 64 }).filter((b) => b.length % 3 === 0),
        (bytes) => {
          const x = { values: bytes, shape: [bytes.length / 3, 3] };
          const compact = unitScaledTensor(x);
          const floats = ndArrayToTensor(scaleToUnit(x));
          expect(compact.storage).toBeInstanceOf(ByteCodedStorage);
          expect(compact.values).toEqual(floats.values);
          const rows = tensor([x.shape[0] - 1, 0], { dtype: 'int32' });
          expect(gather(compact, rows).values).toEqual(gather(floats, rows).values);
          expect(slice(compact, [1, 0], [x.shape[0] - 1, 3]).values).toEqual(
            slice(floats, [1, 0], [x.shape[0] - 1, 3]).values,
          );
        },
      ),
    );
  });
});
