import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { decodeFirstProblem, describeProblem, describeValue, formatPath } from './decode-problem.js';
import { PositiveInteger } from './numbers.js';
import { oneOf } from './one-of.js';
import { taggedUnion } from './tagged-union.js';

const Layer = taggedUnion(
  'kind',
  {
    dense: t.type({ kind: t.literal('dense'), units: PositiveInteger }),
    dropout: t.type({ kind: t.literal('dropout'), rate: t.number }),
  },
  'a layer',
);
const Model = t.intersection([
  t.type({ layers: t.readonlyArray(Layer), activation: t.union([oneOf(['relu', 'tanh']), t.null]) }),
  t.partial({ name: t.string }),
]);

const firstLine = (input: unknown): string => {
  const result = decodeFirstProblem(Model, input);
  return E.isLeft(result) ? describeProblem(result.left) : 'valid';
};

describe('decode problems', () => {
  it('name the field through arrays, unions, intersections and tagged unions', () => {
    expect(
      firstLine({
        layers: [
          { kind: 'dense', units: 3 },
          { kind: 'dense', units: 0 },
        ],
        activation: null,
      }),
    ).toBe('layers[1].units: expected a positive integer, got 0');
    expect(firstLine({ layers: [{ kind: 'conv' }], activation: 'relu' })).toBe(
      'layers[0].kind: expected one of dense, dropout, got "conv"',
    );
    expect(firstLine({ layers: [{ units: 2 }], activation: 'relu' })).toBe(
      'layers[0].kind: missing (expected one of dense, dropout)',
    );
    expect(firstLine({ layers: [7], activation: 'relu' })).toBe('layers[0]: expected a layer, got 7');
    expect(firstLine({ layers: [], activation: 'gelu' })).toBe('activation: expected one of relu, tanh, got "gelu"');
    expect(firstLine({ layers: [], activation: null, name: 5 })).toBe('name: expected string, got 5');
    expect(firstLine('model')).toMatch(/^\(top level\): expected .*, got "model"$/);
  });

  it('report the one bad element of any list, wherever it is', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 10 }),
        fc.nat(),
        fc.integer({ max: 0 }),
        (units, at, bad) => {
          const layers = units.map((u) => ({ kind: 'dense', units: u }));
          const index = at % (layers.length + 1);
          layers.splice(index, 0, { kind: 'dense', units: bad });
          expect(firstLine({ layers, activation: null })).toBe(
            `layers[${index}].units: expected a positive integer, got ${bad}`,
          );
        },
      ),
    );
  });

  it('show values briefly, on one line', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const shown = describeValue(value);
        expect(shown.length).toBeLessThanOrEqual(60);
        expect(shown).not.toMatch(/\n/);
      }),
    );
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(undefined)).toBe('nothing');
  });

  it('write paths as JavaScript would', () => {
    expect(formatPath(['a', 0, 'b', 12])).toBe('a[0].b[12]');
    expect(formatPath([3, 'x'])).toBe('[3].x');
    expect(formatPath([])).toBe('(top level)');
  });
});
