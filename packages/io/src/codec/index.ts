/**
 * @axon/io/codec: io-ts codecs and helpers for validating external shapes (model
 * files, CLI options, settings) with errors that name the field, what was expected
 * and what was found.
 *
 * @example
 * ```ts
 * import { decodeFirstProblem, describeProblem, PositiveInteger } from '@axon/io/codec';
 * const units = decodeFirstProblem(PositiveInteger, 0);
 * // left: describeProblem(units.left) is '(top level): expected a positive integer, got 0'
 * ```
 */
export {
  decodeFirstProblem,
  describeProblem,
  describeValue,
  formatPath,
  problemOf,
  type DecodeProblem,
  type PathSegment,
} from './decode-problem.js';
export {
  FiniteNumber,
  FractionBelowOne,
  FractionUpToHalf,
  FractionUpToOne,
  Metric,
  NonNegativeInteger,
  NonNegativeNumber,
  PositiveInteger,
  PositiveNumber,
} from './numbers.js';
export { oneOf, type OneOf } from './one-of.js';
export { nullable, withDefault } from './optional.js';
export { Flag, Text } from './primitives.js';
export { taggedUnion } from './tagged-union.js';
