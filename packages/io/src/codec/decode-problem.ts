import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';

/** One step into a JSON value: an object key or an array index. */
export type PathSegment = string | number;

/** What a failed decode found wrong, at one place in the input. */
export interface DecodeProblem {
  /** Where the value sits, from the top of the input. */
  readonly path: readonly PathSegment[];
  /** What would have been accepted, as a noun phrase ("a positive integer"). */
  readonly expected: string;
  /** The value found there (`undefined` when the field is missing). */
  readonly value: unknown;
}

const isIndexed = (type: t.Decoder<unknown, unknown>): boolean =>
  type instanceof t.ArrayType || type instanceof t.ReadonlyArrayType || type instanceof t.TupleType;

/**
 * Turns one io-ts validation error into a {@link DecodeProblem}: the path through the
 * input, what was expected there and what was found.
 *
 * @example
 * const errors = t.type({ units: PositiveInteger }).decode({ units: 0 });
 * // left: problemOf(errors[0]) is { path: ['units'], expected: 'a positive integer', value: 0 }
 */
export function problemOf(error: t.ValidationError): DecodeProblem {
  const path: PathSegment[] = [];
  error.context.forEach((entry, i) => {
    if (i === 0) return;
    const parent = error.context[i - 1];
    // Union and intersection members enter the context under their member index with
    // the same input as their parent: codec structure, not a step into the input.
    if (Object.is(entry.actual, parent.actual)) return;
    path.push(isIndexed(parent.type) ? Number(entry.key) : entry.key);
  });
  const last = error.context[error.context.length - 1];
  return { path, expected: error.message ?? last.type.name, value: error.value };
}

/**
 * Writes a path the way it would be written in JavaScript.
 *
 * @example
 * formatPath(['layers', 2, 'config', 'units']); // 'layers[2].config.units'
 * formatPath([]);                               // '(top level)'
 */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}

const longestValue = 60;

/**
 * Shows a found value briefly, as JSON cut to a readable length.
 *
 * @example
 * describeValue('abc');     // '"abc"'
 * describeValue(undefined); // 'nothing'
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > longestValue ? `${json.slice(0, longestValue - 1)}…` : json;
}

/**
 * One line for a problem, naming the field (or whatever `subject` calls it), what was
 * expected and what was found.
 *
 * @example
 * describeProblem({ path: ['epochs'], expected: 'a positive integer', value: 0 });
 * // 'epochs: expected a positive integer, got 0'
 * describeProblem({ path: ['model'], expected: 'a path', value: undefined });
 * // 'model: missing (expected a path)'
 */
export function describeProblem(problem: DecodeProblem, subject = formatPath(problem.path)): string {
  return problem.value === undefined
    ? `${subject}: missing (expected ${problem.expected})`
    : `${subject}: expected ${problem.expected}, got ${describeValue(problem.value)}`;
}

/**
 * Decodes `input`, keeping only the first problem when it fails: every caller reports
 * one line, and the first problem is the one nearest the top of the input.
 *
 * @example
 * decodeFirstProblem(PositiveInteger, 0); // left({ path: [], expected: 'a positive integer', value: 0 })
 */
export function decodeFirstProblem<A>(codec: t.Decoder<unknown, A>, input: unknown): E.Either<DecodeProblem, A> {
  return E.mapLeft((errors: t.Errors) => problemOf(errors[0]))(codec.decode(input));
}
