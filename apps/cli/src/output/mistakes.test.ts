import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mostConfidentMistakes } from './mistakes.js';

describe('mostConfidentMistakes', () => {
  it('keeps only wrong predictions, the most confident first, at most count of them', () => {
    const caseArb = fc.integer({ min: 2, max: 5 }).chain((classes) =>
      fc.record({
        classes: fc.constant(classes),
        rows: fc.array(
          fc.tuple(
            fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: classes, maxLength: classes }),
            fc.integer({ min: 0, max: classes - 1 }),
          ),
          { maxLength: 30 },
        ),
        count: fc.integer({ min: 0, max: 40 }),
      }),
    );
    fc.assert(
      fc.property(caseArb, ({ classes, rows, count }) => {
        const probabilities = Float32Array.from(rows.flatMap(([p]) => p));
        const labels = Int32Array.from(rows.map(([, label]) => label));
        const found = mostConfidentMistakes(probabilities, labels, classes, count);
        const top = (i: number): number => {
          const row = Array.from(probabilities.subarray(i * classes, (i + 1) * classes));
          return row.indexOf(Math.max(...row));
        };
        const wrong = rows.map((_, i) => i).filter((i) => top(i) !== labels[i]);
        expect(found.length).toBe(Math.min(count, wrong.length));
        found.forEach((m, k) => {
          expect(m.predicted).toBe(top(m.index));
          expect(m.label).toBe(labels[m.index]);
          expect(m.predicted).not.toBe(m.label);
          expect(m.confidence).toBe(probabilities[m.index * classes + m.predicted]);
          if (k > 0) expect(m.confidence).toBeLessThanOrEqual(found[k - 1].confidence);
        });
        // Nothing left out is more confident than what was kept.
        const kept = new Set(found.map((m) => m.index));
        const floor = found.at(-1)?.confidence ?? Infinity;
        if (found.length === count)
          wrong
            .filter((i) => !kept.has(i))
            .forEach((i) => expect(probabilities[i * classes + top(i)]).toBeLessThanOrEqual(floor));
      }),
    );
  });
});
