import fc from 'fast-check';
import { decodeModel, encodeModel, parseModelJson, renderModelFileError } from '@axon/io';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { predict } from '@axon/nn';
import { key, uniform } from '@axon/tensor';
import { describe, expect, it } from 'vitest';
import { HiddenActivation } from '../training/vocabulary.js';
import { classifier } from './classifier.js';
import { modelOfSaved, savedModelOf } from './saved-model-bridge.js';

describe('classifier', () => {
  it('with every hidden activation --activation offers, survives the model file: saved, loaded, it predicts the same', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...HiddenActivation.values),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 2, max: 5 }),
        fc.nat(1000),
        (activation, layers, classes, seed) => {
          const model = classifier({ layers, activation, dropout: 0 }, classes);
          const { params } = model.init(key(seed), [3, 4]);
          const saved = savedModelOf(model, params, [3, 4], null);
          if (E.isLeft(saved)) throw new Error(saved.left);
          const files = encodeModel(saved.right, 'axon test');
          if (E.isLeft(files)) throw new Error(renderModelFileError(files.left));
          const decoded = pipe(parseModelJson(files.right.modelJson), E.chain((json) => decodeModel(json, files.right.weightsBin)));
          if (E.isLeft(decoded)) throw new Error(renderModelFileError(decoded.left));
          const loaded = modelOfSaved(decoded.right);
          const x = uniform(key(seed + 1), [5, 3, 4]);
          expect(Array.from(predict(loaded.model, loaded.params, x).values)).toEqual(Array.from(predict(model, params, x).values));
        },
      ),
      { numRuns: 40 },
    );
  });
});
