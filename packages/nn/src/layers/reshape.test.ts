import { describe, expect, it } from 'vitest';
import { key, type Tensor } from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { values64, weighted } from '../../test/helpers.js';
import { flatten, reshape } from './reshape.js';

describe('flatten and reshape', () => {
  it('flatten each sample in row-major order', () => {
    expect(flatten().init(key(0), [28, 28]).outputShape).toEqual([784]);
    const x = values64(1, [2, 3, 4]);
    const y = flatten().apply({}, x);
    expect(y.shape).toEqual([2, 12]);
    expect(y.values).toEqual(x.values);
  });

  it('reshape samples, inferring one extent', () => {
    expect(reshape([28, -1]).init(key(0), [784]).outputShape).toEqual([28, 28]);
    expect(reshape([2, 6]).apply({}, values64(1, [3, 12])).shape).toEqual([3, 2, 6]);
  });

  it('pass gradients back unchanged', () => {
    assertGradients((x: Tensor) => weighted(reshape([3, 2]).apply({}, x), 4), values64(3, [2, 6]));
    assertGradients((x: Tensor) => weighted(flatten().apply({}, x), 5), values64(3, [2, 2, 3]));
  });

  it('refuse shapes that do not fit, naming the layer', () => {
    expect(() => reshape([5, -1]).init(key(0), [12])).toThrow('reshape([5,-1]): cannot reshape samples [12] (12 values) into [5,-1]');
    expect(() => reshape([-1, -1]).init(key(0), [4])).toThrow('reshape([-1,-1])');
    expect(() => reshape([2, 6]).apply({}, values64(1, [3, 10]))).toThrow('cannot reshape samples [10]');
  });
});
