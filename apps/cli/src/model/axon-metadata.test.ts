import fc from 'fast-check';
import type { SavedModel } from '@axon/io';
import { describeProblem } from '@axon/io/codec';
import { layers } from '@axon/nn';
import { tensor } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { metadataArbitrary } from '../../test/support/metadata-arbitrary.js';
import { applyNormalization, axonMetadataOf, tutorialNormalization, userMetadataOf } from './axon-metadata.js';
import { savedModelOf } from './saved-model-bridge.js';

const pixels = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 50 });

describe('applyNormalization', () => {
  it("scales raw pixels to [0, 1] the tutorial's way", () => {
    fc.assert(
      fc.property(pixels, (raw) => {
        const scaled = applyNormalization(tutorialNormalization, raw);
        raw.forEach((v, i) => expect(scaled[i]).toBeCloseTo(v / 255, 6));
      }),
    );
  });

  it('standardizes raw pixels to mean 0 and standard deviation 1 when given their own mean and deviation', () => {
    fc.assert(
      fc.property(
        pixels.filter((raw) => raw.length > 1 && new Set(raw).size > 1),
        (raw) => {
          const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
          const std = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length);
          const out = Array.from(applyNormalization({ kind: 'standardize', mean, std }, raw));
          const outMean = out.reduce((a, b) => a + b, 0) / out.length;
          expect(outMean).toBeCloseTo(0, 5);
          expect(Math.sqrt(out.reduce((a, b) => a + (b - outMean) ** 2, 0) / out.length)).toBeCloseTo(1, 5);
        },
      ),
    );
  });
});

const model: SavedModel = {
  inputShape: [2],
  config: layers.sequential([layers.dense(2, { activation: 'softmax', useBias: false })]).config,
  params: [
    {
      kernel: tensor([
        [1, -1],
        [0.5, -0.5],
      ]),
    },
  ],
  metadata: null,
};
const [metadata] = fc.sample(metadataArbitrary(2), { numRuns: 1, seed: 3 });
const stored = (edit: (axon: Record<string, unknown>) => void): SavedModel => {
  const written = userMetadataOf(metadata);
  if (E.isLeft(written)) throw new Error(written.left);
  const axon = JSON.parse(JSON.stringify(written.right.axon)) as Record<string, unknown>;
  edit(axon);
  return { ...model, metadata: { axon } };
};
const problemLine = (saved: SavedModel): string => {
  const read = axonMetadataOf(saved);
  return E.isLeft(read) ? describeProblem(read.left) : 'read';
};

describe('axon metadata in model files', () => {
  it('round-trips through userDefinedMetadata.axon, NaN metrics included', () => {
    fc.assert(
      fc.property(metadataArbitrary(2), (original) => {
        const written = userMetadataOf(original);
        if (E.isLeft(written)) throw new Error(written.left);
        expect(
          axonMetadataOf({ ...model, metadata: JSON.parse(JSON.stringify(written.right)) as SavedModel['metadata'] }),
        ).toEqual(E.right(original));
      }),
      { numRuns: 30 },
    );
  });

  it('reads a model another tool wrote as having no axon metadata', () => {
    expect(axonMetadataOf(model)).toEqual(E.right(null));
    expect(axonMetadataOf({ ...model, metadata: { other: 1 } })).toEqual(E.right(null));
  });

  it('refuses to write metadata it would refuse to read', () => {
    expect(userMetadataOf({ ...metadata, training: { ...metadata.training, epochs: 0 } })).toEqual(
      E.left('model.json would not load: userDefinedMetadata.axon.training.epochs: expected a positive integer, got 0'),
    );
  });

  it('names the metadata field that is wrong', () => {
    expect(problemLine(stored((axon) => ((axon.training as Record<string, unknown>).learningRate = 'abc')))).toBe(
      'userDefinedMetadata.axon.training.learningRate: expected a positive number, got "abc"',
    );
    expect(problemLine(stored((axon) => (axon.normalization = { kind: 'minmax' })))).toBe(
      'userDefinedMetadata.axon.normalization.kind: expected one of scale, standardize, got "minmax"',
    );
    expect(problemLine(stored((axon) => (axon.classNames = ['a', 'b', 'extra'])))).toBe(
      'userDefinedMetadata.axon.classNames: expected 2 class names (one per output unit), got ["a","b","extra"]',
    );
  });

  it('refuses to save metadata whose class names do not match the output units', () => {
    fc.assert(
      fc.property(metadataArbitrary(3), (three) => {
        const saved = savedModelOf(
          layers.sequential([layers.dense(2, { activation: 'softmax' })]),
          [
            {
              kernel: tensor([
                [1, 2],
                [3, 4],
              ]),
            },
          ],
          [2],
          three,
        );
        expect(saved).toEqual(E.left('the metadata names 3 classes but the output layer has 2 units'));
      }),
      { numRuns: 5 },
    );
  });
});
