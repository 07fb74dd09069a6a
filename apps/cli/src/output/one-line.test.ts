import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneLine } from './one-line.js';

const word = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ maxLength: 400 }),
  fc.constant('x'.repeat(10_000)),
);

describe('oneLine', () => {
  it('gives one line whose runs of non-space characters are at most 120 long, keeping the start and end of each', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), fc.constantFrom(' ', '\n', ': '), (words, separator) => {
        const line = oneLine(words.join(separator));
        expect(line).not.toMatch(/[\r\n]/);
        for (const run of line.split(/\s+/)) expect(Array.from(run).length).toBeLessThanOrEqual(120);
      }),
    );
  });

  it('leaves short messages as they are, and keeps 40 characters before the ellipsis and 60 after (the colon included)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }).filter((s) => !/[\r\n]/.test(s) && !/\S{121}/u.test(s)),
        (message) => {
          expect(oneLine(message)).toBe(message);
        },
      ),
    );
    const path = `/tmp/${'a'.repeat(10_000)}/model.json`;
    expect(oneLine(`${path}: cannot read: the name is too long`)).toBe(
      `/tmp/${'a'.repeat(35)}…${'a'.repeat(48)}/model.json: cannot read: the name is too long`,
    );
  });
});
