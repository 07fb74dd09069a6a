import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { avgPool2d, globalAvgPool2d, key, maxPool2d, type Tensor } from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { distinctValues64, values64, weighted } from '../../test/helpers.js';
import { describeLayer } from './config.js';
import { averagePooling2d, globalAveragePooling2d, maxPooling2d } from './pooling.js';

describe('pooling layers', () => {
  const x = values64(1, [2, 7, 6, 3]);

  it('pool 2x2 with strides equal to the pool size unless stated, as Keras', () => {
    expect(maxPooling2d().init(key(0), [26, 26, 32]).outputShape).toEqual([13, 13, 32]);
    expect(maxPooling2d().apply({}, x).values).toEqual(maxPool2d(x, 2).values);
    expect(averagePooling2d().apply({}, x).values).toEqual(avgPool2d(x, 2).values);
    expect(maxPooling2d(3, { strides: 2, padding: 'same' }).init(key(0), [7, 6, 3]).outputShape).toEqual([4, 3, 3]);
    expect(averagePooling2d([3, 2], { strides: 1, padding: 'same' }).apply({}, x).values).toEqual(
      avgPool2d(x, [3, 2], { strides: 1, padding: 'same' }).values,
    );
    expect(describeLayer(maxPooling2d(3, { strides: 2, padding: 'same' }).config)).toBe(
      'maxPooling2d(3x3, strides 2x2, same)',
    );
    expect(describeLayer(averagePooling2d().config)).toBe('averagePooling2d(2x2)');
  });

  it('average globally over each image, per channel', () => {
    const layer = globalAveragePooling2d();
    expect(layer.init(key(0), [7, 6, 3]).outputShape).toEqual([3]);
    expect(layer.apply({}, x).values).toEqual(globalAvgPool2d(x).values);
  });

  it('pass gradients back to their inputs, over random windows, strides, padding and sizes', () => {
    const arb = fc.record({
      seed: fc.nat(10_000),
      kind: fc.constantFrom('max' as const, 'average' as const, 'global' as const),
      pool: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      strides: fc.option(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), { nil: undefined }),
      padding: fc.constantFrom('valid' as const, 'same' as const),
      // Rows and columns beyond the window, so 'valid' always fits.
      extra: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
      batch: fc.integer({ min: 1, max: 2 }),
      channels: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(arb, ({ seed, kind, pool, strides, padding, extra, batch, channels }) => {
        const options = { ...(strides && { strides }), padding };
        const layer =
          kind === 'max'
            ? maxPooling2d(pool, options)
            : kind === 'average'
              ? averagePooling2d(pool, options)
              : globalAveragePooling2d();
        // Distinct values: a max pool's gradient jumps where two of a window's values swap.
        const input = distinctValues64(seed, [batch, pool[0] + extra[0], pool[1] + extra[1], channels]);
        assertGradients((v: Tensor) => weighted(layer.apply({}, v), seed), input);
      }),
      { numRuns: 30 },
    );
  });

  it('refuse samples that are not images, naming the layer', () => {
    expect(() => maxPooling2d().init(key(0), [784])).toThrow(
      'maxPooling2d(2x2): expects image samples [height, width, channels], got [784]',
    );
    expect(() => averagePooling2d(4).init(key(0), [3, 8, 1])).toThrow(
      'averagePooling2d(4x4): a 4x4 window does not fit in 3x8 input [1,3,8,1]',
    );
    expect(() => globalAveragePooling2d().apply({}, values64(0, [2, 3]))).toThrow(
      'globalAveragePooling2d: expects images [batch,height,width,channels], got [2,3]',
    );
  });
});
