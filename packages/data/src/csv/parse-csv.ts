import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { classLabels, type ClassLabels } from '../dataset/class-labels.js';
import type { LabeledDataset } from '../dataset/labeled-dataset.js';
import type { DataError } from '../error/data-error.js';
import { csvRows, type CsvRow } from './csv-rows.js';

/** How to read a CSV file of numeric features and one label column. */
export interface CsvOptions {
  /** The label column: a header name, or a 0-based index (negative counts from the end, `-1` is the last). */
  readonly label: string | number;
  /**
   * Whether the first row names the columns. By default it does when the label is given
   * by name, or when any of its feature fields is not a number.
   */
  readonly header?: boolean;
  /** The field separator, one character. Default `,`. */
  readonly delimiter?: string;
  /**
   * Class names in label order. Labels may then be names or indices. Without them,
   * labels that are all non-negative integers are class indices (classes `0 .. max`), and
   * any other labels are names, numbered in sorted order.
   */
  readonly classNames?: readonly string[];
}

/** A CSV dataset: float32 features `[n, features]`, labels, and the feature column names. */
export interface CsvDataset extends LabeledDataset<Float32Array> {
  readonly featureNames: readonly string[];
}

const parseNumber = (field: string): number => (field.trim() === '' ? Number.NaN : Number(field));

const isClassIndex = (field: string): boolean => /^\s*\d+\s*$/.test(field);

interface Columns {
  readonly names: readonly string[];
  readonly label: number;
  readonly header: boolean;
}

const resolveColumns = (first: CsvRow, file: string, options: CsvOptions): E.Either<DataError, Columns> => {
  const width = first.fields.length;
  const unknown = (available: readonly string[]): DataError => ({
    kind: 'csv-unknown-column',
    file,
    column: options.label,
    available,
  });
  if (typeof options.label === 'string') {
    const label = options.header === false ? -1 : first.fields.indexOf(options.label);
    return label < 0
      ? E.left(unknown(options.header === false ? [] : first.fields))
      : E.right({ names: first.fields, label, header: true });
  }
  const label = options.label < 0 ? width + options.label : options.label;
  const numbered = first.fields.map((_, i) => String(i));
  if (!(Number.isInteger(label) && label >= 0 && label < width)) return E.left(unknown(numbered));
  const header = options.header ?? first.fields.some((field, i) => i !== label && !Number.isFinite(parseNumber(field)));
  return E.right({ names: header ? first.fields : numbered, label, header });
};

const labelsOf = (
  file: string,
  rows: readonly CsvRow[],
  raw: readonly string[],
  classNames?: readonly string[],
): E.Either<DataError, ClassLabels> => {
  if (classNames !== undefined) {
    const indices: number[] = [];
    for (let i = 0; i < raw.length; i++) {
      const named = classNames.indexOf(raw[i]);
      const index = named >= 0 ? named : isClassIndex(raw[i]) ? Number(raw[i]) : Number.NaN;
      if (Number.isNaN(index)) return E.left({ kind: 'csv-unknown-label', file, line: rows[i].line, value: raw[i] });
      indices.push(index);
    }
    return classLabels(file, indices, classNames);
  }
  if (raw.every(isClassIndex)) return classLabels(file, raw.map(Number), undefined);
  const names = [...new Set(raw)].sort();
  const indexOf = new Map(names.map((name, i) => [name, i]));
  return classLabels(
    file,
    raw.map((label) => indexOf.get(label) ?? -1),
    names,
  );
};

const dataOf = (
  file: string,
  rows: readonly CsvRow[],
  columns: Columns,
  classNames: readonly string[] | undefined,
): E.Either<DataError, CsvDataset> => {
  const width = columns.names.length;
  const featureCount = width - 1;
  const features = new Float32Array(rows.length * featureCount);
  const rawLabels: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    const { line, fields } = rows[r];
    if (fields.length !== width)
      return E.left({ kind: 'csv-ragged-row', file, line, expected: width, actual: fields.length });
    let k = r * featureCount;
    for (let c = 0; c < width; c++) {
      if (c === columns.label) continue;
      const value = parseNumber(fields[c]);
      if (!Number.isFinite(value))
        return E.left({ kind: 'csv-not-a-number', file, line, column: columns.names[c], value: fields[c] });
      features[k++] = value;
    }
    rawLabels.push(fields[columns.label].trim());
  }
  return pipe(
    labelsOf(file, rows, rawLabels, classNames),
    E.map((classes) => ({
      inputs: { values: features, shape: [rows.length, featureCount] },
      ...classes,
      featureNames: columns.names.filter((_, c) => c !== columns.label),
    })),
  );
};

/**
 * Reads tabular data: numeric feature columns and one label column, chosen by name or
 * index, with an optional header row. Never throws for bad input: a ragged row, a
 * non-numeric feature (empty fields included), an unknown column or label, or a file with
 * no data rows is a {@link DataError} naming `file` and, where there is one, the line.
 * Throws a `RangeError` for a delimiter that is not one character other than a quote or
 * a line break.
 *
 * @example
 * ```ts
 * parseCsv('x,y,species\n1.5,2,setosa\n0.2,1,virginica\n', 'iris.csv', { label: 'species' });
 * // right({ inputs: { values: Float32Array [1.5, 2, 0.2, 1], shape: [2, 2] }, labels: Int32Array [0, 1],
 * //         classNames: ['setosa', 'virginica'], featureNames: ['x', 'y'] })
 * ```
 */
export const parseCsv = (text: string, file: string, options: CsvOptions): E.Either<DataError, CsvDataset> => {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || '"\r\n'.includes(delimiter)) {
    throw new RangeError(
      `parseCsv: the delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`,
    );
  }
  return pipe(
    csvRows(text, file, delimiter),
    E.filterOrElse(
      (rows) => rows.length > 0,
      (): DataError => ({ kind: 'csv-empty', file }),
    ),
    E.chain((rows) =>
      pipe(
        resolveColumns(rows[0], file, options),
        E.map((columns) => ({ columns, data: columns.header ? rows.slice(1) : rows })),
      ),
    ),
    E.filterOrElse(
      ({ data }) => data.length > 0,
      (): DataError => ({ kind: 'csv-empty', file }),
    ),
    E.chain(({ columns, data }) => dataOf(file, data, columns, options.classNames)),
  );
};
