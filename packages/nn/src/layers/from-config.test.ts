import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { key } from '@axon/tensor';
import { activationNames } from '../activations/activations.js';
import type { InitializerConfig } from '../initializers/initializers.js';
import { f64, values64 } from '../../test/helpers.js';
import type { LayerConfig } from './config.js';
import { fromConfig } from './from-config.js';
import { applyLayer, initLayer } from './layer.js';

const initializerArb: fc.Arbitrary<InitializerConfig> = fc.oneof(
  fc.constantFrom<InitializerConfig>(
    { kind: 'glorotUniform' },
    { kind: 'glorotNormal' },
    { kind: 'heUniform' },
    { kind: 'heNormal' },
    { kind: 'lecunNormal' },
    { kind: 'zeros' },
    { kind: 'ones' },
  ),
  // Hundredths, not arbitrary doubles: JSON turns -0 into 0.
  fc.integer({ min: -100, max: 100 }).map((n): InitializerConfig => ({ kind: 'constant', value: n / 100 })),
);

/** Configs of layers that take samples of shape [4] to [4] (or [n]) in any combination. */
const layerArb: fc.Arbitrary<LayerConfig> = fc.letrec<{ layer: LayerConfig }>((tie) => ({
  layer: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constant('dense' as const),
      units: fc.integer({ min: 1, max: 4 }),
      activation: fc.constantFrom(...activationNames),
      useBias: fc.boolean(),
      kernelInitializer: initializerArb,
      biasInitializer: initializerArb,
    }),
    fc.constantFrom(...activationNames).map((activation): LayerConfig => ({ kind: 'activation', activation })),
    fc.integer({ min: 0, max: 9 }).map((n): LayerConfig => ({ kind: 'dropout', rate: n / 10 })),
    fc.constant<LayerConfig>({ kind: 'flatten' }),
    fc.constant<LayerConfig>({ kind: 'reshape', targetShape: [-1, 1] }),
    fc.array(tie('layer'), { maxLength: 3 }).map((layers): LayerConfig => ({ kind: 'sequential', layers })),
  ),
})).layer;

describe('fromConfig', () => {
  it('rebuilds any layer from its JSON config: same config, same init, same function', () => {
    fc.assert(
      fc.property(layerArb, fc.nat(1000), (config, seed) => {
        const layer = fromConfig(config);
        const rebuilt = fromConfig(JSON.parse(JSON.stringify(layer.config)));
        expect(rebuilt.config).toEqual(layer.config);
        const { params, outputShape } = layer.init(key(seed), [4], f64);
        const again = rebuilt.init(key(seed), [4], f64);
        expect(again.params).toEqual(params);
        expect(again.outputShape).toEqual(outputShape);
        const x = values64(seed, [2, 4]);
        expect(applyLayer(rebuilt, again.params, x).y.values).toEqual(applyLayer(layer, params, x).y.values);
      }),
      { numRuns: 60 },
    );
  });

  /** Configs of layers that take image samples to image samples ('same' padding keeps them large enough). */
  const imageLayerArb: fc.Arbitrary<LayerConfig> = fc.oneof(
    fc.record({
      kind: fc.constant('conv2d' as const),
      filters: fc.integer({ min: 1, max: 3 }),
      kernelSize: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      strides: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      padding: fc.constant('same' as const),
      dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      activation: fc.constantFrom(...activationNames),
      useBias: fc.boolean(),
      kernelInitializer: initializerArb,
      biasInitializer: initializerArb,
    }),
    fc.record({
      kind: fc.constantFrom('maxPooling2d' as const, 'averagePooling2d' as const),
      poolSize: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      padding: fc.constant('same' as const),
    }),
    fc.record({
      kind: fc.constant('batchNormalization' as const),
      momentum: fc.integer({ min: 0, max: 100 }).map((n) => n / 100),
      epsilon: fc.constantFrom(1e-3, 1e-5),
      center: fc.boolean(),
      scale: fc.boolean(),
    }),
  );

  it('rebuilds convolutional models, stateful ones included, from their JSON configs', () => {
    const modelArb = fc.array(imageLayerArb, { maxLength: 4 }).map((layers): LayerConfig => ({
      kind: 'sequential',
      layers: [...layers, { kind: 'globalAveragePooling2d' }],
    }));
    fc.assert(
      fc.property(modelArb, fc.nat(1000), fc.boolean(), (config, seed, training) => {
        const layer = fromConfig(config);
        const rebuilt = fromConfig(JSON.parse(JSON.stringify(layer.config)));
        expect(rebuilt.config).toEqual(layer.config);
        const initialized = initLayer(layer, key(seed), [5, 5, 2], f64);
        const again = initLayer(rebuilt, key(seed), [5, 5, 2], f64);
        expect(again).toEqual(initialized);
        const x = values64(seed, [2, 5, 5, 2]);
        const ctx = { training };
        const ours = applyLayer(layer, initialized.params, x, ctx, initialized.state);
        const theirs = applyLayer(rebuilt, again.params, x, ctx, again.state);
        expect(theirs.y.values).toEqual(ours.y.values);
        expect(theirs.state).toEqual(ours.state);
      }),
      { numRuns: 30 },
    );
  });
});
