import * as t from 'io-ts';

/**
 * `t.string` and `t.boolean` under names that read well after "expected" in a decode
 * error ("expected a string, got 5").
 */
export const Text = new t.Type<string, string, unknown>(
  'a string',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c)),
  (s) => s,
);

/** See {@link Text}. */
export const Flag = new t.Type<boolean, boolean, unknown>(
  'true or false',
  (u): u is boolean => typeof u === 'boolean',
  (u, c) => (typeof u === 'boolean' ? t.success(u) : t.failure(u, c)),
  (b) => b,
);
