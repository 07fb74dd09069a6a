import type { IdxType } from '../idx/idx-type.js';

/** Why one download attempt from one URL failed. */
export type DownloadProblem =
  /** The server answered with a status other than 2xx. */
  | { readonly kind: 'http-status'; readonly status: number }
  /** Nothing arrived for `ms` milliseconds. */
  | { readonly kind: 'timeout'; readonly ms: number }
  /** The connection failed or broke off. */
  | { readonly kind: 'network'; readonly detail: string }
  /** The body ended before the length the server announced. */
  | { readonly kind: 'incomplete'; readonly expected: number; readonly received: number }
  /** The body arrived whole but failed verification (checksum or format). */
  | { readonly kind: 'rejected'; readonly error: DataError };

/** One download attempt and why it failed. */
export interface DownloadAttempt {
  readonly url: string;
  readonly problem: DownloadProblem;
}

/**
 * Everything that can go wrong while reading, verifying, downloading or assembling data.
 * Every case names the file it is about (a path, a URL, or the name the caller gave
 * pure parsers), so {@link renderDataError} can always say where.
 */
export type DataError =
  /** The first two bytes of an IDX file are not zero. */
  | { readonly kind: 'bad-magic'; readonly file: string; readonly magic: readonly number[] }
  /** The IDX type byte is none of the six codes the format defines. */
  | { readonly kind: 'unknown-type'; readonly file: string; readonly code: number }
  /** The file ends inside the IDX header. */
  | { readonly kind: 'truncated-header'; readonly file: string; readonly expected: number; readonly actual: number }
  /** The data after the header is shorter or longer than the dimensions say. */
  | {
      readonly kind: 'data-length';
      readonly file: string;
      readonly type: IdxType;
      readonly shape: readonly number[];
      readonly expected: number;
      readonly actual: number;
    }
  /** A gzip stream ends before its end marker. */
  | { readonly kind: 'truncated-gzip'; readonly file: string; readonly detail: string }
  /** A gzip stream is damaged (bad header, bad deflate data, CRC or length mismatch). */
  | { readonly kind: 'corrupt-gzip'; readonly file: string; readonly detail: string }
  /** An IDX file holds an element type the dataset does not allow there. */
  | {
      readonly kind: 'unexpected-type';
      readonly file: string;
      readonly expected: readonly IdxType[];
      readonly actual: IdxType;
    }
  /** An IDX file has a shape the dataset does not allow there. */
  | {
      readonly kind: 'unexpected-shape';
      readonly file: string;
      readonly expected: string;
      readonly actual: readonly number[];
    }
  /** The inputs and labels files hold different numbers of samples. */
  | {
      readonly kind: 'count-mismatch';
      readonly file: string;
      readonly inputsFile: string;
      readonly inputs: number;
      readonly labels: number;
    }
  /** A label is negative or not below the number of classes. */
  | {
      readonly kind: 'label-out-of-range';
      readonly file: string;
      readonly index: number;
      readonly label: number;
      readonly classCount: number;
    }
  /** A file's decompressed content has another SHA-256 than the known one. */
  | { readonly kind: 'checksum-mismatch'; readonly file: string; readonly expected: string; readonly actual: string }
  /** A file cannot be checked here: no SHA-256 (a browser page that is not a secure context). */
  | { readonly kind: 'unverifiable'; readonly file: string; readonly detail: string }
  /** A CSV file breaks the format, e.g. a quote that never closes. */
  | { readonly kind: 'csv-syntax'; readonly file: string; readonly line: number; readonly detail: string }
  /** A CSV file has no data rows. */
  | { readonly kind: 'csv-empty'; readonly file: string }
  /** A CSV row has a different number of fields than the first row. */
  | {
      readonly kind: 'csv-ragged-row';
      readonly file: string;
      readonly line: number;
      readonly expected: number;
      readonly actual: number;
    }
  /** A CSV feature field is not a finite number. */
  | {
      readonly kind: 'csv-not-a-number';
      readonly file: string;
      readonly line: number;
      readonly column: string;
      readonly value: string;
    }
  /** The label column the caller named does not exist. */
  | {
      readonly kind: 'csv-unknown-column';
      readonly file: string;
      readonly column: string | number;
      readonly available: readonly string[];
    }
  /** A CSV label is not one of the class names the caller gave. */
  | { readonly kind: 'csv-unknown-label'; readonly file: string; readonly line: number; readonly value: string }
  /** The file system refused to read a file. */
  | { readonly kind: 'read-failed'; readonly file: string; readonly detail: string }
  /** The file system refused to write a file. */
  | { readonly kind: 'write-failed'; readonly file: string; readonly detail: string }
  /** Every mirror failed; one entry per attempt. */
  | { readonly kind: 'download-failed'; readonly file: string; readonly attempts: readonly DownloadAttempt[] }
  /**
   * A dataset file is in none of the places searched and could not be downloaded
   * (`download` says why, or is absent when downloading was off or impossible).
   */
  | {
      readonly kind: 'not-found';
      readonly file: string;
      readonly dataset: string;
      readonly searched: readonly string[];
      readonly expectedFiles: readonly string[];
      readonly download?: DataError;
    };

const showShape = (shape: readonly number[]): string => `[${shape.join(',')}]`;

const showBytes = (bytes: readonly number[]): string => bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');

const renderProblem = (problem: DownloadProblem): string => {
  switch (problem.kind) {
    case 'http-status':
      return `HTTP ${problem.status}`;
    case 'timeout':
      return `no data for ${problem.ms} ms`;
    case 'network':
      return problem.detail;
    case 'incomplete':
      return `body ended after ${problem.received} of ${problem.expected} bytes`;
    case 'rejected':
      return renderDataError(problem.error);
  }
};

/**
 * One indented line per URL tried, in order: its last problem, and how many attempts
 * there were when retries did not help. The retries themselves would only repeat it.
 */
const mirrorLines = (attempts: readonly DownloadAttempt[]): string[] => {
  const byUrl = new Map<string, { readonly last: DownloadProblem; readonly count: number }>();
  for (const { url, problem } of attempts) byUrl.set(url, { last: problem, count: (byUrl.get(url)?.count ?? 0) + 1 });
  return [...byUrl].map(
    ([url, { last, count }]) => `  ${url}: ${renderProblem(last)}${count > 1 ? ` (${count} attempts)` : ''}`,
  );
};

/**
 * One line for the user: the file, then what is wrong with it and, where it helps,
 * what to do. A failed download is the exception: a first line, then one indented line
 * per mirror with its last error (and, for a missing dataset, a last line saying how to
 * give a local copy).
 *
 * @example
 * ```ts
 * renderDataError({ kind: 'unknown-type', file: 'x.idx', code: 0x0a });
 * // 'x.idx: unknown IDX element type code 0x0a (known: 0x08 u8, 0x09 i8, 0x0b i16, 0x0c i32, 0x0d f32, 0x0e f64)'
 * ```
 */
export function renderDataError(error: DataError): string {
  switch (error.kind) {
    case 'bad-magic':
      return error.magic[0] === 0x1f && error.magic[1] === 0x8b
        ? `${error.file}: gzip-compressed IDX; decompress it first (decodeIdxFile reads gzipped and raw IDX alike)`
        : `${error.file}: not an IDX file (starts with ${showBytes(error.magic)}; IDX files start with 00 00)`;
    case 'unknown-type':
      return `${error.file}: unknown IDX element type code 0x${error.code.toString(16).padStart(2, '0')} (known: 0x08 u8, 0x09 i8, 0x0b i16, 0x0c i32, 0x0d f32, 0x0e f64)`;
    case 'truncated-header':
      return `${error.file}: the IDX header needs ${error.expected} bytes but the file has ${error.actual}`;
    case 'data-length':
      return `${error.file}: ${error.type} data of shape ${showShape(error.shape)} needs ${error.expected} bytes after the header, but there are ${error.actual} (${error.actual < error.expected ? 'file truncated' : 'trailing bytes'})`;
    case 'truncated-gzip':
      return `${error.file}: the gzip stream is cut short (${error.detail}); delete the file and fetch it again`;
    case 'corrupt-gzip':
      return `${error.file}: the gzip stream is corrupt (${error.detail}); delete the file and fetch it again`;
    case 'unexpected-type':
      return `${error.file}: element type ${error.actual} where ${error.expected.join(' or ')} is expected`;
    case 'unexpected-shape':
      return `${error.file}: shape ${showShape(error.actual)} where ${error.expected} is expected`;
    case 'count-mismatch':
      return `${error.file}: ${error.labels} labels for the ${error.inputs} samples in ${error.inputsFile}`;
    case 'label-out-of-range':
      return `${error.file}: label ${error.label} at index ${error.index} is outside the ${error.classCount} classes 0..${error.classCount - 1}`;
    case 'checksum-mismatch':
      return `${error.file}: its content (decompressed) has SHA-256 ${error.actual}, not the known ${error.expected}: the file is damaged or not the expected one`;
    case 'unverifiable':
      return `${error.file}: cannot be verified (${error.detail})`;
    case 'csv-syntax':
      return `${error.file}:${error.line}: ${error.detail}`;
    case 'csv-empty':
      return `${error.file}: no data rows`;
    case 'csv-ragged-row':
      return `${error.file}:${error.line}: ${error.actual} fields where the first row has ${error.expected}`;
    case 'csv-not-a-number':
      return `${error.file}:${error.line}: column ${error.column}: ${JSON.stringify(error.value)} is not a number`;
    case 'csv-unknown-column':
      return `${error.file}: no column ${JSON.stringify(error.column)} (columns: ${error.available.join(', ')})`;
    case 'csv-unknown-label':
      return `${error.file}:${error.line}: label ${JSON.stringify(error.value)} is not one of the class names given`;
    case 'read-failed':
      return `${error.file}: cannot read (${error.detail})`;
    case 'write-failed':
      return `${error.file}: cannot write (${error.detail})`;
    case 'download-failed':
      return [`${error.file}: download failed:`, ...mirrorLines(error.attempts)].join('\n');
    case 'not-found': {
      const where = `${error.dataset}: ${error.file} not found; looked in ${error.searched.join(', ')}`;
      const advice = `pass a directory holding ${error.expectedFiles.join(', ')} (IDX, gzipped or not) as \`dir\` (--data-dir in the CLI), or set AXON_DATA_DIR to a folder holding ${error.dataset}/`;
      if (error.download === undefined) return `${where}; downloading is off or impossible for this dataset; ${advice}`;
      const download = error.download;
      const why =
        download.kind === 'download-failed' ? mirrorLines(download.attempts) : [`  ${renderDataError(download)}`];
      return [`${where}; downloading it failed:`, ...why, `To use a copy you have, ${advice}.`].join('\n');
    }
  }
}
