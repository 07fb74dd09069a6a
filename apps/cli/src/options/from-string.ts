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

/** A non-empty string naming a file or directory. */
export const PathText = new t.Type<string, string, unknown>(
  'a path',
  (u): u is string => typeof u === 'string' && u !== '',
  (u, c) => (typeof u === 'string' && u !== '' ? t.success(u) : t.failure(u, c)),
  (s) => s,
);
