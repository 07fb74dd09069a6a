import * as t from 'io-ts';
import { oneOf } from './one-of.js';

/**
 * A union of object codecs told apart by one string field. Unlike `t.union`, which
 * reports a failure for every member, this reads the tag first and then reports only
 * the chosen member's problems (or that the tag itself is unknown), so an error names
 * exactly one field.
 *
 * @example
 * const Shape = taggedUnion(
 *   'kind',
 *   {
 *     circle: t.type({ kind: t.literal('circle'), radius: t.number }),
 *     square: t.type({ kind: t.literal('square'), side: t.number }),
 *   },
 *   'a shape ({ kind, … })',
 * );
 * Shape.decode({ kind: 'circle', radius: 'x' }); // one error, at `radius`
 */
export function taggedUnion<K extends string, M extends Record<string, t.Mixed>>(
  tag: K,
  members: M,
  name: string,
): t.Type<t.TypeOf<M[keyof M]>, t.OutputOf<M[keyof M]>, unknown> {
  const tags = Object.keys(members) as [string, ...string[]];
  const Tag = oneOf(tags);
  const memberFor = (u: unknown): t.Type<t.TypeOf<M[keyof M]>, t.OutputOf<M[keyof M]>, unknown> | undefined => {
    if (typeof u !== 'object' || u === null) return undefined;
    const value: unknown = (u as Record<string, unknown>)[tag];
    return Tag.is(value) ? members[value] : undefined;
  };
  return new t.Type<t.TypeOf<M[keyof M]>, t.OutputOf<M[keyof M]>, unknown>(
    name,
    (u): u is t.TypeOf<M[keyof M]> => memberFor(u)?.is(u) ?? false,
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c);
      const member = memberFor(u);
      if (member === undefined) {
        const value: unknown = (u as Record<string, unknown>)[tag];
        return t.failure(value, [...c, { key: tag, type: Tag, actual: value }]);
      }
      return member.validate(u, c);
    },
    (a) => members[(a as Record<K, string>)[tag]].encode(a),
  );
}
