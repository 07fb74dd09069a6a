import type { ReduceOp } from '@axon/tensor';
import { sumCode } from './accumulate.js';
import { coordinatesCode, offsetExpression } from './indexing.js';
import type { Program } from './program.js';

/** The statements computing `result` from the `size` values `x[base + s * inner]`. */
const reductionCode = (op: ReduceOp, size: number, inner: number): string => {
  const at = (s: string) => (inner === 1 ? `x[base + ${s}]` : `x[base + ${s} * ${inner}]`);
  switch (op) {
    case 'sum':
      return `${sumCode('total', size, at)}const result = total;\n`;
    case 'prod':
      return `let result = 1;\nfor (let s = 0; s < ${size}; s++) {\nresult *= ${at('s')};\n}\n`;
    case 'max':
    case 'min': {
      // NaN wins, as in NumPy: once `result` is NaN no comparison replaces it.
      const beats = op === 'max' ? '>' : '<';
      return (
        `let result = ${at('0')};\n` +
        `for (let s = 1; s < ${size}; s++) {\nconst v = ${at('s')};\n` +
        `if (v ${beats} result || v !== v) { result = v; }\n}\n`
      );
    }
    case 'argmax':
    case 'argmin': {
      // The first extreme wins ties; the first NaN wins outright and stops the search.
      const beats = op === 'argmax' ? '>' : '<';
      return (
        `let best = ${at('0')};\nlet result = 0;\n` +
        `for (let s = 1; s < ${size}; s++) {\nconst v = ${at('s')};\n` +
        `if (best === best && (v ${beats} best || v !== v)) { best = v; result = s; }\n}\n`
      );
    }
  }
};

/** Reduces `[outer, size, inner]` over its middle axis to `[outer, inner]`; `size` must be positive. */
export const reduceProgram = (op: ReduceOp, outer: number, size: number, inner: number): Program => {
  const { code, names } = coordinatesCode('i', [outer, inner], 'c');
  const base = offsetExpression(names, [size * inner, 1]);
  return {
    source: `function (x) {\nconst i = this.thread.x;\n${code}const base = ${base};\n${reductionCode(op, size, inner)}return result;\n}`,
    helpers: [],
    size: outer * inner,
  };
};
