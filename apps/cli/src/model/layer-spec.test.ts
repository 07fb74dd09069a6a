import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { layerSpecArbitrary } from '../../test/support/layer-spec-arbitrary.js';
import {
  builtInModels,
  LayerSpecEntry,
  LayerSpecList,
  layerSpecsText,
  layerSpecText,
  parseLayerSpec,
} from './layer-spec.js';

describe('the --layers grammar', () => {
  it('reads back every layer from its shortest text, and every list from its --layers value', () => {
    fc.assert(
      fc.property(fc.array(layerSpecArbitrary, { maxLength: 6 }), (specs) => {
        for (const spec of specs) expect(parseLayerSpec(String(layerSpecText(spec)))).toEqual(E.right(spec));
        expect(LayerSpecList.decode(layerSpecsText(specs))).toEqual(E.right(specs));
      }),
    );
  });

  it('records a layer in model files as a number for a plain dense layer (as older files hold) and as its item otherwise, and reads either back', () => {
    fc.assert(
      fc.property(layerSpecArbitrary, (spec) => {
        const recorded = LayerSpecEntry.encode(spec);
        expect(typeof recorded === 'number').toBe(spec.kind === 'dense' && spec.activation === null);
        expect(LayerSpecEntry.decode(JSON.parse(JSON.stringify(recorded)))).toEqual(E.right(spec));
      }),
    );
    expect(LayerSpecEntry.decode(128)).toEqual(E.right({ kind: 'dense', units: 128, activation: null }));
    for (const bad of [0, 1.5, '128', 'conv:0:3', null, {}]) expect(E.isLeft(LayerSpecEntry.decode(bad))).toBe(true);
  });

  it('spells the built-in networks as their documentation does', () => {
    expect(layerSpecsText(builtInModels.mlp)).toBe('128,128');
    expect(layerSpecsText(builtInModels.cnn)).toBe('conv:32:3,maxpool:2,conv:64:3,maxpool:2,flatten,dropout:0.5');
  });

  it('refuses anything else without throwing, naming a part of the item it was given', () => {
    const alphabet = fc.constantFrom(...'conv:maxpool,avgdense=stride0123456789x.same-e '.split(''));
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 24 }), (item) => {
        const parsed = parseLayerSpec(item);
        if (E.isRight(parsed)) {
          // Whatever it accepts it writes back to something it reads as the same layer.
          expect(parseLayerSpec(String(layerSpecText(parsed.right)))).toEqual(parsed);
        } else {
          expect(item).toContain(parsed.left.got);
          expect(parsed.left.expected).not.toBe('');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('decodes any string as a list or a message, never throwing', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          fc
            .array(fc.string({ unit: fc.constantFrom(...'conv:pool,1x2=.e') }), { maxLength: 4 })
            .map((parts) => parts.join(',')),
        ),
        (text) => {
          const decoded = LayerSpecList.decode(text);
          if (E.isRight(decoded)) expect(LayerSpecList.decode(layerSpecsText(decoded.right))).toEqual(decoded);
          else expect(decoded.left[0]?.message ?? '').not.toBe('');
        },
      ),
      { numRuns: 1000 },
    );
  });
});
