import * as E from 'fp-ts/lib/Either.js';
import type { DataError } from '../error/data-error.js';

/** One CSV record: its fields and the line it starts on (1-based). */
export interface CsvRow {
  readonly line: number;
  readonly fields: readonly string[];
}

/**
 * Splits CSV text into records as RFC 4180 defines them: fields separated by
 * `delimiter`, records by `\n` or `\r\n`, quoted fields that may hold delimiters,
 * newlines and doubled quotes. Blank lines and a leading byte-order mark are skipped.
 * A quote that never closes is a `csv-syntax` error naming `file` and the line.
 *
 * @example
 * ```ts
 * csvRows('a,"b,c"\n1,2\n', 'x.csv', ',');
 * // right([{ line: 1, fields: ['a', 'b,c'] }, { line: 2, fields: ['1', '2'] }])
 * ```
 */
export const csvRows = (text: string, file: string, delimiter: string): E.Either<DataError, CsvRow[]> => {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
    fields = [];
  };
  while (i <= text.length) {
    let field = '';
    if (text[i] === '"') {
      const quoteLine = line;
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0)
          return E.left({ kind: 'csv-syntax', file, line: quoteLine, detail: 'a quoted field never closes' });
        const chunk = text.slice(i, close);
        field += chunk;
        line += chunk.split('\n').length - 1;
        i = close + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
    }
    let end = i;
    while (end < text.length && text[end] !== delimiter && text[end] !== '\n' && text[end] !== '\r') end++;
    fields.push(field + text.slice(i, end));
    i = end;
    if (text[i] === delimiter) {
      i++;
      continue;
    }
    endRecord();
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    i++;
    line++;
    rowLine = line;
  }
  return E.right(rows);
};
