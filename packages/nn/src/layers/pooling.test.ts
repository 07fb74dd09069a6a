import { describe, expect, it } from 'vitest';
import { avgPool2d, globalAvgPool2d, key, maxPool2d, type Tensor } from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { values64, weighted } from '../../test/helpers.js';
import { describeLayer } from './config.js';
import { averagePooling2d, globalAveragePooling2d, maxPooling2d } from './pooling.js';

describe('pooling layers', () => {
  const x = values64(1, [2, 7, 6, 3]);

  it('pool 2x2 with strides equal to the pool size unless stated, as Keras', () => {
    expect(maxPooling2d().init(key(0), [26, 26, 32]).outputShape).toEqual([13, 13, 32]);
    expect(maxPooling2d().apply({}, x).values).toEqual(maxPool2d(x, 2).values);
    expect(averagePooling2d().apply({}, x).values).toEqual(avgPool2d(x, 2).values);
    expect(maxPooling2d(3, { strides: 2, padding: 'same' }).init(key(0), [7, 6, 3]).outputShape).toEqual([4, 3, 3]);
    expect(averagePooling2d([3, 2], { strides: 1, padding: 'same' }).apply({}, x).values).toEqual(avgPool2d(x, [3, 2], { strides: 1, padding: 'same' }).values);
    expect(describeLayer(maxPooling2d(3, { strides: 2, padding: 'same' }).config)).toBe('maxPooling2d(3x3, strides 2x2, same)');
    expect(describeLayer(averagePooling2d().config)).toBe('averagePooling2d(2x2)');
  });

  it('average globally over each image, per channel', () => {
    const layer = globalAveragePooling2d();
    expect(layer.init(key(0), [7, 6, 3]).outputShape).toEqual([3]);
    expect(layer.apply({}, x).values).toEqual(globalAvgPool2d(x).values);
  });

  it('pass gradients back to their inputs', () => {
    const distinct = values64(2, [1, 5, 4, 2], -1, 1, 0.01);
    [maxPooling2d(2, { strides: 1 }), averagePooling2d(3, { padding: 'same' }), globalAveragePooling2d()].forEach((layer, i) =>
      assertGradients((v: Tensor) => weighted(layer.apply({}, v), i), distinct),
    );
  });

  it('refuse samples that are not images, naming the layer', () => {
    expect(() => maxPooling2d().init(key(0), [784])).toThrow('maxPooling2d(2x2): expects image samples [height, width, channels], got [784]');
    expect(() => averagePooling2d(4).init(key(0), [3, 8, 1])).toThrow('averagePooling2d(4x4): a 4x4 window does not fit in 3x8 input [1,3,8,1]');
    expect(() => globalAveragePooling2d().apply({}, values64(0, [2, 3]))).toThrow('globalAveragePooling2d: expects images [batch,height,width,channels], got [2,3]');
  });
});
