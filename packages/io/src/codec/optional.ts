import * as t from 'io-ts';

/**
 * Makes a codec accept `undefined` (an absent field or an option not given) and
 * decode it to `fallback`. Keeps the inner codec's name, so errors still describe
 * the accepted values.
 *
 * @example
 * const Epochs = withDefault(PositiveInteger, 10);
 * Epochs.decode(undefined); // right(10)
 */
export function withDefault<A, O>(codec: t.Type<A, O, unknown>, fallback: A): t.Type<A, O, unknown> {
  return new t.Type<A, O, unknown>(
    codec.name,
    codec.is,
    (u, c) => (u === undefined ? t.success(fallback) : codec.validate(u, c)),
    codec.encode,
  );
}

/**
 * Makes a codec accept `undefined` (an absent field or an option not given) and
 * decode it to `null`, for values that have no default.
 *
 * @example
 * nullable(PositiveInteger).decode(undefined); // right(null)
 */
export function nullable<A, O>(codec: t.Type<A, O, unknown>): t.Type<A | null, O | undefined, unknown> {
  return new t.Type<A | null, O | undefined, unknown>(
    codec.name,
    (u): u is A | null => u === null || codec.is(u),
    (u, c) => (u === undefined ? t.success(null) : codec.validate(u, c)),
    (a) => (a === null ? undefined : codec.encode(a)),
  );
}
