import * as t from 'io-ts';

/** A codec for one of a fixed list of strings, which it keeps as `values`. */
export interface OneOf<V extends readonly [string, ...string[]]> extends t.Type<V[number], V[number], unknown> {
  readonly values: V;
}

/**
 * A codec for one of a fixed list of strings, named after the list so that a decode
 * error spells out every accepted value.
 *
 * @example
 * const Optimizer = oneOf(['sgd', 'adam']);
 * Optimizer.name;            // 'one of sgd, adam'
 * Optimizer.is('adam');      // true
 * Optimizer.values;          // ['sgd', 'adam']
 */
export function oneOf<const V extends readonly [string, ...string[]]>(values: V): OneOf<V> {
  const accepted = new Set<string>(values);
  const is = (u: unknown): u is V[number] => typeof u === 'string' && accepted.has(u);
  const codec = new t.Type<V[number], V[number], unknown>(
    `one of ${values.join(', ')}`,
    is,
    (u, c) => (is(u) ? t.success(u) : t.failure(u, c)),
    (v) => v,
  );
  return Object.assign(codec, { values });
}
