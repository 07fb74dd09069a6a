import fc from 'fast-check';
import type { LayerSpec, SizePair } from '../../src/model/layer-spec.js';
import { HiddenActivation } from '../../src/training/vocabulary.js';

const size = (max: number): fc.Arbitrary<SizePair> =>
  fc.oneof(
    fc.integer({ min: 1, max }).map((n): SizePair => [n, n]),
    fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max })),
  );

const activation = fc.option(fc.constantFrom(...HiddenActivation.values), { nil: null });
const padding = fc.constantFrom('valid' as const, 'same' as const);

/** A small decimal as people write one (`0.25`), which reads back to the same number. */
const fraction = fc.integer({ min: 0, max: 99 }).map((n) => n / 100);

/**
 * Any hidden layer `--layers` can describe, small enough to build and run in a test:
 * every kind, every option (a convolution with a stride or a dilation above 1, never both).
 */
export const layerSpecArbitrary: fc.Arbitrary<LayerSpec> = fc.oneof(
  fc.record({ kind: fc.constant('dense' as const), units: fc.integer({ min: 1, max: 8 }), activation }),
  fc
    .record({
      filters: fc.integer({ min: 1, max: 4 }),
      size: size(3),
      padding,
      activation,
      step: size(2),
      dilated: fc.boolean(),
    })
    .map(({ step, dilated, ...rest }): LayerSpec => ({
      kind: 'conv',
      ...rest,
      strides: dilated ? [1, 1] : step,
      dilation: dilated ? step : [1, 1],
    })),
  fc
    .record({ kind: fc.constantFrom('maxpool' as const, 'avgpool' as const), size: size(3), strides: size(3), padding })
    .map((spec): LayerSpec => spec),
  fc.constant<LayerSpec>({ kind: 'globalavgpool' }),
  fc.constant<LayerSpec>({ kind: 'flatten' }),
  fc.record({ kind: fc.constant('dropout' as const), rate: fraction }),
  fc.record({
    kind: fc.constant('batchnorm' as const),
    momentum: fraction,
    epsilon: fc.constantFrom(1e-3, 1e-5, 0.01),
  }),
);
