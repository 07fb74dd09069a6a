import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { csvRows } from '../src/csv/csv-rows.js';
import { parseCsv, renderDataError, type CsvOptions } from '../src/index.js';
import { leftOf } from './support/either.js';

const parse = (text: string, options: CsvOptions) => parseCsv(text, 'd.csv', options);

describe('csvRows', () => {
  it('handles quotes, doubled quotes, delimiters and newlines inside quotes, CRLF, BOM and blank lines', () => {
    const text = '\uFEFFa,"b,c"\r\n\r\n"say ""hi""","multi\nline"\n3,\n';
    expect(csvRows(text, 'x.csv', ',')).toEqual(
      E.right([
        { line: 1, fields: ['a', 'b,c'] },
        { line: 3, fields: ['say "hi"', 'multi\nline'] },
        { line: 5, fields: ['3', ''] },
      ]),
    );
  });

  it('round-trips any table of fields written with quoting', () => {
    const field = fc.string({ unit: fc.constantFrom('a', '1', ',', '"', '\n', ' ', 'é') });
    const table = fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(table, (rows) => {
        const text = rows.map((r) => r.map((f) => `"${f.replaceAll('"', '""')}"`).join(',')).join('\n');
        expect(
          E.map((parsed: { fields: readonly string[] }[]) => parsed.map((r) => r.fields))(csvRows(text, 'x.csv', ',')),
        ).toEqual(E.right(rows));
      }),
    );
  });

  it('reports a quote that never closes, with its line', () => {
    expect(csvRows('a,b\n1,"2\n3', 'x.csv', ',')).toEqual(
      E.left({ kind: 'csv-syntax', file: 'x.csv', line: 2, detail: 'a quoted field never closes' }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '1', ',', '"', '\n', '\r', '.', '-') }),
        fc.integer({ min: -3, max: 3 }),
        (text, label) => {
          const result = parse(text, { label });
          if (E.isLeft(result)) expect(renderDataError(result.left)).toMatch(/^d\.csv/);
        },
      ),
    );
  });
});

describe('parseCsv', () => {
  it('reads features and a label chosen by name, detecting the header', () => {
    const result = parse('x,y,species\n1.5,2,setosa\n0.25,-1e2,virginica\n3,4,setosa\n', { label: 'species' });
    expect(result).toEqual(
      E.right({
        inputs: { values: Float32Array.of(1.5, 2, 0.25, -100, 3, 4), shape: [3, 2] },
        labels: Int32Array.of(0, 1, 0),
        classNames: ['setosa', 'virginica'],
        featureNames: ['x', 'y'],
      }),
    );
  });

  it('reads a headerless file with the label by index, integer labels as class indices', () => {
    expect(parse('2,0.5,1\n0,1.5,2\n', { label: 0 })).toEqual(
      E.right({
        inputs: { values: Float32Array.of(0.5, 1, 1.5, 2), shape: [2, 2] },
        labels: Int32Array.of(2, 0),
        classNames: ['0', '1', '2'],
        featureNames: ['1', '2'],
      }),
    );
  });

  it('counts negative indices from the end and honours an explicit header flag and delimiter', () => {
    const result = parse('1;2;1\n3;4;0\n', { label: -1, delimiter: ';', header: false });
    expect(result).toMatchObject(E.right({ labels: Int32Array.of(1, 0), inputs: { shape: [2, 2] } }));
    expect(parse('f,g,l\n1,2,1\n', { label: 2, header: true })).toMatchObject(E.right({ featureNames: ['f', 'g'] }));
  });

  it('maps labels through given class names, by name or index', () => {
    expect(parse('1,cat\n2,1\n', { label: 1, classNames: ['cat', 'dog'] })).toMatchObject(
      E.right({ labels: Int32Array.of(0, 1), classNames: ['cat', 'dog'] }),
    );
    expect(leftOf(parse('1,cow\n', { label: 1, classNames: ['cat', 'dog'] }))).toEqual({
      kind: 'csv-unknown-label',
      file: 'd.csv',
      line: 1,
      value: 'cow',
    });
    expect(leftOf(parse('1,5\n', { label: 1, classNames: ['cat', 'dog'] }))).toMatchObject({
      kind: 'label-out-of-range',
      label: 5,
      classCount: 2,
    });
  });

  it('a ragged row', () => {
    const error = leftOf(parse('a,b,c\n1,2,0\n1,2\n', { label: 'c' }));
    expect(error).toEqual({ kind: 'csv-ragged-row', file: 'd.csv', line: 3, expected: 3, actual: 2 });
    expect(renderDataError(error)).toBe('d.csv:3: 2 fields where the first row has 3');
  });

  it('a feature that is not a number, including a missing one', () => {
    expect(leftOf(parse('a,b,c\n1,x,0\n', { label: 'c' }))).toEqual({
      kind: 'csv-not-a-number',
      file: 'd.csv',
      line: 2,
      column: 'b',
      value: 'x',
    });
    expect(leftOf(parse('a,b,c\n1,,0\n', { label: 'c' }))).toMatchObject({ kind: 'csv-not-a-number', value: '' });
    expect(leftOf(parse('1,NaN,0\n', { label: 2, header: false }))).toMatchObject({
      kind: 'csv-not-a-number',
      column: '1',
    });
  });

  it('an unknown label column', () => {
    expect(leftOf(parse('a,b\n1,2\n', { label: 'c' }))).toEqual({
      kind: 'csv-unknown-column',
      file: 'd.csv',
      column: 'c',
      available: ['a', 'b'],
    });
    expect(leftOf(parse('1,2\n', { label: 2 }))).toMatchObject({
      kind: 'csv-unknown-column',
      column: 2,
      available: ['0', '1'],
    });
    expect(leftOf(parse('a,b\n1,2\n', { label: 'a', header: false }))).toMatchObject({
      kind: 'csv-unknown-column',
      available: [],
    });
  });

  it('no data rows', () => {
    expect(leftOf(parse('', { label: 0 }))).toEqual({ kind: 'csv-empty', file: 'd.csv' });
    expect(leftOf(parse('a,b\n\n', { label: 'b' }))).toEqual({ kind: 'csv-empty', file: 'd.csv' });
  });

  it('refuses a delimiter that cannot work', () => {
    expect(() => parse('1', { label: 0, delimiter: '::' })).toThrow(RangeError);
    expect(() => parse('1', { label: 0, delimiter: '"' })).toThrow(RangeError);
  });
});
