import fc from 'fast-check';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { closedRecord, decodeLine } from './json-lines.js';

const Point = closedRecord('a point', { x: t.number, y: t.number }, { label: t.string });

describe('closedRecord (test helper)', () => {
  it('accepts the required fields with or without the optional ones', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true }),
        fc.double({ noNaN: true }),
        fc.option(fc.string(), { nil: undefined }),
        (x, y, label) => {
          const value = label === undefined ? { x, y } : { x, y, label };
          expect(Point.decode(value)).toEqual({ _tag: 'Right', right: value });
          expect(Point.is(value)).toBe(true);
        },
      ),
    );
  });

  it('refuses any field it does not name, and says which', () => {
    const stray = fc.string({ minLength: 1 }).filter((key) => !['x', 'y', 'label', '__proto__'].includes(key));
    fc.assert(
      fc.property(stray, fc.jsonValue(), (key, value) => {
        const line = JSON.stringify({ x: 1, y: 2, [key]: value });
        expect(Point.is(JSON.parse(line))).toBe(false);
        expect(() => decodeLine(Point, line)).toThrow(`is not a field of a point`);
      }),
    );
  });

  it('refuses a missing or mistyped field, naming it', () => {
    expect(() => decodeLine(Point, '{"x":1}')).toThrow(/^y: missing \(expected number\)/);
    expect(() => decodeLine(Point, '{"x":1,"y":"2"}')).toThrow(/^y: expected number, got "2"/);
    expect(() => decodeLine(Point, 'x=1')).toThrow(/^not a JSON line/);
  });
});
