import * as t from 'io-ts';

// Codecs from the strings commander hands over to typed values. Each keeps the name of
// the codec that checks the parsed value, so an error states the accepted values.

const integerText = /^[+-]?\d+$/;
const decimalText = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parsedFrom<A>(pattern: RegExp, codec: t.Type<A, number, unknown>): t.Type<A, string, unknown> {
  return new t.Type<A, string, unknown>(
    codec.name,
    codec.is,
    (u, c) => (typeof u === 'string' && pattern.test(u.trim()) ? codec.validate(Number(u), c) : t.failure(u, c)),
    (a) => String(codec.encode(a)),
  );
}

/**
 * A whole number written in decimal, then checked by `codec`. `1.5`, `1e3`, `0x10`
 * and `abc` are refused.
 *
 * @example
 * integerFromString(PositiveInteger).decode('128'); // right(128)
 * integerFromString(PositiveInteger).decode('-3');  // left: expected a positive integer
 */
export const integerFromString = <A>(codec: t.Type<A, number, unknown>): t.Type<A, string, unknown> =>
  parsedFrom(integerText, codec);

/**
 * A decimal number (`0.001`, `1e-3`, `.5`), then checked by `codec`. `abc`,
 * `Infinity` and `0x10` are refused.
 *
 * @example
 * numberFromString(PositiveNumber).decode('1e-3'); // right(0.001)
 */
export const numberFromString = <A>(codec: t.Type<A, number, unknown>): t.Type<A, string, unknown> =>
  parsedFrom(decimalText, codec);

/**
 * Comma-separated whole numbers, each checked by `item`; the empty string is the empty
 * list.
 *
 * @example
 * const Units = integerListFromString(PositiveInteger, 'comma-separated positive integers');
 * Units.decode('128,64'); // right([128, 64])
 * Units.decode('');       // right([])
 */
export function integerListFromString(
  item: t.Type<number, number, unknown>,
  name: string,
): t.Type<readonly number[], string, unknown> {
  const itemFromString = integerFromString(item);
  const is = (u: unknown): u is readonly number[] => Array.isArray(u) && u.every(item.is);
  return new t.Type<readonly number[], string, unknown>(
    name,
    is,
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c);
      if (u.trim() === '') return t.success([]);
      const values: number[] = [];
      for (const part of u.split(',')) {
        const decoded = itemFromString.decode(part);
        if (decoded._tag === 'Left') return t.failure(u, c);
        values.push(decoded.right);
      }
      return t.success(values);
    },
    (values) => values.join(','),
  );
}

const sizeText = /^(\d+\.?\d*|\.\d+)\s*(?:([kmgt])(i)?b?|b)?$/i;
const unitPowers: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4 };

/**
 * A memory size: a number of bytes, or a number with a unit, `k`, `M`, `G` or `T` in
 * powers of 1000 (as axon prints sizes) or `Ki`, `Mi`, `Gi`, `Ti` in powers of 1024,
 * with or without a final `B`, in either case. Decodes to a positive number of bytes.
 *
 * @example
 * ByteSize.decode('8G');     // right(8e9)
 * ByteSize.decode('512MiB'); // right(536870912)
 * ByteSize.decode('lots');   // left: expected a size such as 512M or 8G
 */
export const ByteSize = new t.Type<number, string, unknown>(
  'a size such as 512M or 8G',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u > 0,
  (u, c) => {
    const match = typeof u === 'string' ? sizeText.exec(u.trim()) : null;
    if (match === null) return t.failure(u, c);
    const [, amount, unit, binary] = match;
    const bytes =
      Number(amount) *
      (unit === undefined ? 1 : (binary === undefined ? 1000 : 1024) ** unitPowers[unit.toLowerCase()]);
    return Number.isFinite(bytes) && bytes > 0 ? t.success(bytes) : t.failure(u, c);
  },
  (bytes) => String(bytes),
);

/**
 * Node decodes command-line arguments as UTF-8 and turns bytes that are not UTF-8 into
 * U+FFFD before any code runs: `process.argv` never holds the original bytes, so a
 * Buffer path cannot be rebuilt from it. A path holding U+FFFD would therefore name
 * another file (`--out` would write beside the intended one, `--model` would be
 * reported missing), so it is refused with this explanation.
 */
const notUtf8 = 'a path in UTF-8 (Node reads other bytes as U+FFFD, so the path would name another file)';

/**
 * A non-empty string naming a file or directory, as Node could read it from the command
 * line (no U+FFFD: see {@link notUtf8}).
 *
 * @example
 * PathText.decode('model');        // right('model')
 * PathText.decode('mod\uFFFDle'); // left: expected a path in UTF-8 (…)
 */
export const PathText = new t.Type<string, string, unknown>(
  'a path',
  (u): u is string => typeof u === 'string' && u !== '' && !u.includes('\uFFFD'),
  (u, c) => {
    if (typeof u !== 'string' || u === '') return t.failure(u, c);
    return u.includes('\uFFFD') ? t.failure(u, c, notUtf8) : t.success(u);
  },
  (s) => s,
);
