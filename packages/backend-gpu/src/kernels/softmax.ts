import { sumCode } from './accumulate.js';
import { divideCode } from './indexing.js';
import { unarySnippet } from './math.js';
import type { Program } from './program.js';

/*
 * Every softmax-family kernel works from two statistics of a row: its max `mx` and
 * `s = sum over c != argmax of exp(x[c] - mx)`, so that sum(exp(x - mx)) = 1 + s. Then
 * logSumExp = mx + log1p(s), which keeps a loss of 2e-9 a loss of 2e-9 where float32's
 * mx + log(1 + s) would round it to 0 against a logit of 28.
 */

/** Statements declaring `mx` and `s` (see above) for the `cols` values from `x[base]`. */
const rowStatisticsCode = (cols: number): string =>
  `let mx = x[base];\nlet am = 0;\n` +
  `for (let c = 1; c < ${cols}; c++) {\nconst v = x[base + c];\nif (v > mx) { mx = v; am = c; }\n}\n` +
  sumCode('s', cols, (c) => `(${c} === am ? 0 : Math.exp(x[base + ${c}] - mx))`);

const log1p = unarySnippet('log1p', 's');

/** Row statistics of `[rows, cols]` as `[rows, 2]`: `mx` then `s` for each row. */
export const rowStatisticsProgram = (rows: number, cols: number): Program => ({
  source:
    `function (x) {\nconst i = this.thread.x;\n${divideCode('i', 2, 'row', 'which')}` +
    `const base = row * ${cols};\n${rowStatisticsCode(cols)}return which === 0 ? mx : s;\n}`,
  helpers: [],
  size: rows * 2,
});

/** Per-row `logSumExp(row) - row[label]`, as `(mx - row[label]) + log1p(s)`. */
export const crossEntropyProgram = (rows: number, cols: number): Program => ({
  source:
    `function (x, labels) {\nconst row = this.thread.x;\nconst base = row * ${cols};\n${rowStatisticsCode(cols)}` +
    `return (mx - x[base + labels[row]]) + ${log1p.expression};\n}`,
  helpers: log1p.helpers,
  size: rows,
});

/**
 * Statements splitting the flat index of a `[rows, cols]` element into `row` and `col`
 * and reading its row's statistics from `stats` ({@link rowStatisticsProgram}).
 */
const elementCode = (cols: number): string =>
  `const i = this.thread.x;\n${cols === 1 ? 'const row = i;\nconst col = 0;\n' : divideCode('i', cols, 'row', 'col')}` +
  `const mx = stats[2 * row];\nconst s = stats[2 * row + 1];\n`;

/** `exp(x - mx) / (1 + s)`. */
export const softmaxProgram = (rows: number, cols: number): Program => ({
  source: `function (x, stats) {\n${elementCode(cols)}return Math.exp(x[i] - mx) / (1 + s);\n}`,
  helpers: [],
  size: rows * cols,
});

/** `(x - mx) - log1p(s)`. */
export const logSoftmaxProgram = (rows: number, cols: number): Program => ({
  source: `function (x, stats) {\n${elementCode(cols)}return (x[i] - mx) - ${log1p.expression};\n}`,
  helpers: log1p.helpers,
  size: rows * cols,
});

/** `dLoss[row] * (softmax(x)[row, col] - [col = label[row]])`. */
export const crossEntropyGradProgram = (rows: number, cols: number): Program => ({
  source:
    `function (x, labels, dLoss, stats) {\n${elementCode(cols)}const g = dLoss[row];\n` +
    `const p = g * Math.exp(x[i] - mx) / (1 + s);\nreturn col === labels[row] ? p - g : p;\n}`,
  helpers: [],
  size: rows * cols,
});
