import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { classLabels } from '../src/dataset/class-labels.js';
import {
  decodeIdxFile,
  encodeIdx,
  idxDirectory,
  labeledDatasetFromIdx,
  mnist,
  pickFile,
  renderDataError,
  type IdxArray,
} from '../src/index.js';

const images = (n: number, sample: readonly number[] = [28, 28]): IdxArray => ({
  type: 'u8',
  shape: [n, ...sample],
  values: new Uint8Array(n * sample.reduce((a, b) => a * b, 1)).map((_, i) => i % 256),
});
const labels = (...values: number[]): IdxArray => ({
  type: 'u8',
  shape: [values.length],
  values: Uint8Array.from(values),
});
const named = (file: string, array: IdxArray) => ({ file, array });

describe('labeledDatasetFromIdx', () => {
  const forMnist = labeledDatasetFromIdx(mnist);

  it('pairs inputs with Int32 labels and the class names', () => {
    const result = forMnist(named('img', images(3)), named('lab', labels(7, 0, 9)));
    expect(result).toEqual(
      E.right({
        inputs: { values: images(3).values, shape: [3, 28, 28] },
        labels: Int32Array.of(7, 0, 9),
        classNames: mnist.classNames,
      }),
    );
  });

  it('image and label counts that differ', () => {
    const result = forMnist(named('img', images(3)), named('lab', labels(1, 2)));
    expect(result).toEqual(E.left({ kind: 'count-mismatch', file: 'lab', inputsFile: 'img', inputs: 3, labels: 2 }));
    expect(renderDataError((result as E.Left<never>).left)).toBe('lab: 2 labels for the 3 samples in img');
  });

  it('labels outside the class range', () => {
    expect(forMnist(named('img', images(2)), named('lab', labels(3, 10)))).toEqual(
      E.left({ kind: 'label-out-of-range', file: 'lab', index: 1, label: 10, classCount: 10 }),
    );
    const negative: IdxArray = { type: 'i32', shape: [1], values: Int32Array.of(-1) };
    expect(forMnist(named('img', images(1)), named('lab', negative))).toMatchObject(
      E.left({ kind: 'label-out-of-range', label: -1 }),
    );
  });

  it('inputs of the wrong element type or sample shape', () => {
    const floats: IdxArray = { type: 'f32', shape: [1, 28, 28], values: new Float32Array(784) };
    expect(forMnist(named('img', floats), named('lab', labels(1)))).toEqual(
      E.left({ kind: 'unexpected-type', file: 'img', expected: ['u8'], actual: 'f32' }),
    );
    expect(forMnist(named('img', images(1, [27, 29])), named('lab', labels(1)))).toEqual(
      E.left({ kind: 'unexpected-shape', file: 'img', expected: '[n,28,28]', actual: [1, 27, 29] }),
    );
  });

  it('labels that are not integers or not rank 1', () => {
    const floatLabels: IdxArray = { type: 'f64', shape: [1], values: Float64Array.of(1) };
    expect(forMnist(named('img', images(1)), named('lab', floatLabels))).toMatchObject(
      E.left({ kind: 'unexpected-type', file: 'lab', actual: 'f64' }),
    );
    const matrix: IdxArray = { type: 'u8', shape: [1, 1], values: Uint8Array.of(1) };
    expect(forMnist(named('img', images(1)), named('lab', matrix))).toMatchObject(
      E.left({ kind: 'unexpected-shape', file: 'lab', expected: '[n]' }),
    );
  });

  it('a generic IDX dataset takes any input type and numbers its classes 0..max', () => {
    const inputs: IdxArray = { type: 'f64', shape: [2, 3], values: Float64Array.of(1, 2, 3, 4, 5, 6) };
    expect(labeledDatasetFromIdx(idxDirectory('mine'))(named('x', inputs), named('y', labels(0, 2)))).toEqual(
      E.right({
        inputs: { values: inputs.values, shape: [2, 3] },
        labels: Int32Array.of(0, 2),
        classNames: ['0', '1', '2'],
      }),
    );
    const scalars: IdxArray = { type: 'u8', shape: [], values: Uint8Array.of(1) };
    expect(labeledDatasetFromIdx(idxDirectory('mine'))(named('x', scalars), named('y', labels(0)))).toMatchObject(
      E.left({ kind: 'unexpected-shape', expected: 'rank 1 or more' }),
    );
  });
});

describe('classLabels', () => {
  it('accepts exactly the labels in 0..k-1', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 12 })), fc.integer({ min: 1, max: 10 }), (values, k) => {
        const names = Array.from({ length: k }, (_, i) => `c${i}`);
        const result = classLabels('y', values, names);
        const bad = values.findIndex((v) => v < 0 || v >= k);
        if (bad < 0) expect(result).toEqual(E.right({ labels: Int32Array.from(values), classNames: names }));
        else
          expect(result).toEqual(
            E.left({ kind: 'label-out-of-range', file: 'y', index: bad, label: values[bad], classCount: k }),
          );
      }),
    );
  });
});

describe('decodeIdxFile', () => {
  it('skips verification without checksums', async () => {
    const raw = encodeIdx(labels(1, 2, 3));
    expect(await decodeIdxFile('l.gz', undefined)(gzipSync(raw, { level: 1 }))()).toEqual(E.right(labels(1, 2, 3)));
    expect(await decodeIdxFile('l', undefined)(raw)()).toEqual(E.right(labels(1, 2, 3)));
  });
});

describe('pickFile', () => {
  it('finds a copy by its stem, preferring the sorted-first name', () => {
    expect(pickFile('train-images', ['b', 'train-images-idx3-ubyte.gz', 'train-images-idx3-ubyte'])).toBe(
      'train-images-idx3-ubyte',
    );
    expect(pickFile('train-images', ['train-images'])).toBe('train-images');
    expect(pickFile('train-images', ['train-images.idx'])).toBe('train-images.idx');
  });

  it('ignores other stems and hidden partial downloads', () => {
    expect(
      pickFile('train-images', ['train-imagesX', 'train-labels-idx1-ubyte.gz', '.train-images-idx3-ubyte.gz.1.part']),
    ).toBe(undefined);
  });
});
