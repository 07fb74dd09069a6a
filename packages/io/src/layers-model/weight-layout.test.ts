import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { kerasLayerNames, type LayerOutline, weightLayout } from './weight-layout.js';

const kinds = fc.array(fc.constantFrom('dense' as const, 'dropout' as const, 'flatten' as const, 'activation' as const), { maxLength: 12 });

describe('kerasLayerNames', () => {
  it('names layers by class, the first of each unsuffixed and later ones _1, _2, … in order', () => {
    fc.assert(
      fc.property(kinds, (layerKinds) => {
        const names = kerasLayerNames(layerKinds);
        expect(new Set(names).size).toBe(names.length);
        layerKinds.forEach((kind, i) => {
          const before = layerKinds.slice(0, i).filter((k) => k === kind).length;
          expect(names[i]).toBe(before === 0 ? kind : `${kind}_${before}`);
        });
      }),
    );
  });
});

describe('weightLayout', () => {
  it('chains dense layers: each kernel takes the last axis of what reaches it', () => {
    const outline = fc.oneof(
      fc.record({ kind: fc.constant('dense' as const), units: fc.integer({ min: 1, max: 9 }), useBias: fc.boolean() }),
      fc.record({ kind: fc.constantFrom('dropout' as const, 'activation' as const) }),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }), fc.array(outline, { maxLength: 6 }), (inputShape, plain) => {
        const layers: LayerOutline[] = plain.map((layer, i) => ({ ...layer, name: `l${i}` }));
        const layout = weightLayout(inputShape, layers);
        if (E.isLeft(layout)) throw new Error('no flatten, so no refusal');
        let last = inputShape[inputShape.length - 1];
        const expected = layers.flatMap((layer, i) => {
          if (layer.kind !== 'dense') return [];
          const kernel = { name: `l${i}/kernel`, layer: i, role: 'kernel', shape: [last, layer.units] };
          last = layer.units;
          return layer.useBias ? [kernel, { name: `l${i}/bias`, layer: i, role: 'bias', shape: [layer.units] }] : [kernel];
        });
        expect(layout.right.slots).toEqual(expected);
        expect(layout.right.outputShape).toEqual([...inputShape.slice(0, -1), last]);
      }),
    );
  });

  it('flattens samples of two or more axes and refuses one axis', () => {
    expect(weightLayout([28, 28], [{ kind: 'flatten', name: 'f' }])).toEqual(E.right({ slots: [], outputShape: [784] }));
    expect(E.isLeft(weightLayout([784], [{ kind: 'flatten', name: 'f' }]))).toBe(true);
  });
});
