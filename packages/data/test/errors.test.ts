import { describe, expect, it } from 'vitest';
import { renderDataError, type DataError } from '../src/index.js';

type Example<K extends DataError['kind']> = Extract<DataError, { kind: K }>;

/** One error of every kind; the mapped type makes the compiler insist on each. */
const examples: { [K in DataError['kind']]: Example<K> } = {
  'bad-magic': { kind: 'bad-magic', file: 'f', magic: [1, 2, 3, 4] },
  'unknown-type': { kind: 'unknown-type', file: 'f', code: 10 },
  'truncated-header': { kind: 'truncated-header', file: 'f', expected: 12, actual: 3 },
  'data-length': { kind: 'data-length', file: 'f', type: 'u8', shape: [2], expected: 2, actual: 1 },
  'truncated-gzip': { kind: 'truncated-gzip', file: 'f', detail: 'unexpected end of file' },
  'corrupt-gzip': { kind: 'corrupt-gzip', file: 'f', detail: 'incorrect data check' },
  'unexpected-type': { kind: 'unexpected-type', file: 'f', expected: ['u8'], actual: 'f32' },
  'unexpected-shape': { kind: 'unexpected-shape', file: 'f', expected: '[n]', actual: [1, 2] },
  'count-mismatch': { kind: 'count-mismatch', file: 'f', inputsFile: 'g', inputs: 2, labels: 3 },
  'label-out-of-range': { kind: 'label-out-of-range', file: 'f', index: 4, label: 11, classCount: 10 },
  'checksum-mismatch': { kind: 'checksum-mismatch', file: 'f', expected: 'aa', actual: 'bb' },
  unverifiable: { kind: 'unverifiable', file: 'f', detail: 'SHA-256 needs crypto.subtle' },
  'csv-syntax': { kind: 'csv-syntax', file: 'f', line: 3, detail: 'a quoted field never closes' },
  'csv-empty': { kind: 'csv-empty', file: 'f' },
  'csv-ragged-row': { kind: 'csv-ragged-row', file: 'f', line: 2, expected: 3, actual: 2 },
  'csv-not-a-number': { kind: 'csv-not-a-number', file: 'f', line: 2, column: 'b', value: 'x' },
  'csv-unknown-column': { kind: 'csv-unknown-column', file: 'f', column: 'c', available: ['a', 'b'] },
  'csv-unknown-label': { kind: 'csv-unknown-label', file: 'f', line: 2, value: 'cow' },
  'read-failed': { kind: 'read-failed', file: 'f', detail: 'ENOENT' },
  'write-failed': { kind: 'write-failed', file: 'f', detail: 'EACCES' },
  'download-failed': {
    kind: 'download-failed',
    file: 'f',
    attempts: [
      { url: 'http://a/f', problem: { kind: 'timeout', ms: 5 } },
      { url: 'http://b/f', problem: { kind: 'incomplete', expected: 10, received: 5 } },
      {
        url: 'http://c/f',
        problem: { kind: 'rejected', error: { kind: 'checksum-mismatch', file: 'f', expected: 'aa', actual: 'bb' } },
      },
    ],
  },
  'not-found': { kind: 'not-found', file: 'f', dataset: 'mnist', searched: ['/x (cache)'], expectedFiles: ['f'] },
};

const multiLine: ReadonlySet<DataError['kind']> = new Set(['download-failed']);

describe('renderDataError', () => {
  it('gives one line that starts with the file (or dataset) for every kind but a failed download, and distinct lines for distinct kinds', () => {
    const lines = Object.values(examples)
      .filter((e) => !multiLine.has(e.kind))
      .map(renderDataError);
    for (const line of lines) expect(line).toMatch(/^(f|mnist)[:\s][^\n]+$/);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('gives a failed download a first line, then one line per mirror', () => {
    expect(renderDataError(examples['download-failed'])).toBe(
      [
        'f: download failed:',
        '  http://a/f: no data for 5 ms',
        '  http://b/f: body ended after 5 of 10 bytes',
        '  http://c/f: f: its content (decompressed) has SHA-256 bb, not the known aa: the file is damaged or not the expected one',
      ].join('\n'),
    );
  });
});
