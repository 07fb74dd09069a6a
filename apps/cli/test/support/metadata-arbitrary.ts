import fc from 'fast-check';
import type { AxonMetadata } from '../../src/model/axon-metadata.js';
import { tutorialSettings } from '../../src/training/settings.js';

/** Doubles in [min, max] that survive JSON, which has no -0. */
const jsonDouble = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true }).map((x) => (Object.is(x, -0) ? 0 : x));

const metric = fc.oneof(jsonDouble(0, 10), fc.constant(Number.NaN));

/** Axon metadata naming `classes` classes, with a history that may or may not have validation metrics. */
export function metadataArbitrary(classes: number): fc.Arbitrary<AxonMetadata> {
  return fc.record({
    formatVersion: fc.constant(1 as const),
    axonVersion: fc.constant('0.1.0'),
    training: fc
      .record({ learningRate: jsonDouble(1e-6, 1), seed: fc.nat() })
      .map((varied) => ({ ...tutorialSettings, ...varied })),
    normalization: fc.oneof(
      fc.record({ kind: fc.constant('scale' as const), scale: jsonDouble(1e-6, 1) }),
      fc.record({ kind: fc.constant('standardize' as const), mean: jsonDouble(-255, 255), std: jsonDouble(1e-3, 255) }),
    ),
    classNames: fc.array(fc.string(), { minLength: classes, maxLength: classes }),
    history: fc.array(
      fc.oneof(
        fc.record({
          epoch: fc.integer({ min: 1, max: 100 }),
          loss: metric,
          accuracy: metric,
          seconds: jsonDouble(0, 100),
        }),
        fc.record({
          epoch: fc.integer({ min: 1, max: 100 }),
          loss: metric,
          accuracy: metric,
          seconds: jsonDouble(0, 100),
          valLoss: metric,
          valAccuracy: metric,
        }),
      ),
      { maxLength: 4 },
    ),
  });
}
