import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { parseCsv, type CsvDataset, type CsvOptions } from '../csv/parse-csv.js';
import type { DataError } from '../error/data-error.js';
import { readText } from './files.js';

/**
 * Reads a CSV file of numeric features and a label column (see {@link parseCsv}).
 *
 * @example
 * ```ts
 * const iris = await loadCsv('iris.csv', { label: 'species' })(); // right({ inputs: [150, 4], ... })
 * ```
 */
export const loadCsv = (file: string, options: CsvOptions): TE.TaskEither<DataError, CsvDataset> =>
  pipe(
    readText(file),
    TE.chainEitherK((text) => parseCsv(text, file, options)),
  );
