import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { type DecodeProblem, decodeFirstProblem, describeProblem, Flag, nullable, withDefault } from '@axon/io/codec';

/**
 * One command-line option: its commander flags, its help, and the io-ts codec that
 * turns what commander collected (a string, `true`, or `undefined` when absent) into
 * the typed value.
 */
export interface OptionSpec<A> {
  /** Commander's flags, e.g. `--epochs <n>`. */
  readonly flags: string;
  /** Help text, completed with the accepted values and the default. */
  readonly help: string;
  readonly codec: t.Decoder<unknown, A>;
}

/** A table of options, keyed by the name the typed config uses. */
export type OptionTable = Readonly<Record<string, OptionSpec<unknown>>>;

/** The typed config an option table decodes to. */
export type ConfigOf<T extends OptionTable> = { readonly [K in keyof T]: T[K] extends OptionSpec<infer A> ? A : never };

/**
 * An option with a value and a default.
 *
 * @example
 * withValue('--epochs <n>', 'passes over the training data', integerFromString(PositiveInteger), 10);
 * // help: 'passes over the training data (a positive integer; default: 10)'
 */
export function withValue<A>(
  flags: string,
  help: string,
  codec: t.Type<A, unknown, unknown>,
  fallback: A,
  shownDefault = String(fallback),
): OptionSpec<A> {
  return { flags, help: `${help} (${codec.name}; default: ${shownDefault})`, codec: withDefault(codec, fallback) };
}

/**
 * An option with a value that may be left out, which then decodes to `null`;
 * `whenAbsent` tells the help what that means.
 *
 * @example
 * optionalValue('--limit <n>', 'train on the first n samples only', integerFromString(PositiveInteger), 'all');
 * // help: 'train on the first n samples only (a positive integer; default: all)'
 */
export function optionalValue<A>(
  flags: string,
  help: string,
  codec: t.Type<A, unknown, unknown>,
  whenAbsent: string,
): OptionSpec<A | null> {
  return { flags, help: `${help} (${codec.name}; default: ${whenAbsent})`, codec: nullable(codec) };
}

/**
 * An option that must be given.
 *
 * @example
 * requiredValue('--model <dir>', 'model directory', PathText);
 * // help: 'model directory (a path; required)'
 */
export function requiredValue<A>(flags: string, help: string, codec: t.Type<A, unknown, unknown>): OptionSpec<A> {
  return { flags, help: `${help} (${codec.name}; required)`, codec };
}

/**
 * A switch: `true` when given, `false` otherwise.
 *
 * @example
 * switchOption('--json', 'print JSON lines');
 */
export function switchOption(flags: string, help: string): OptionSpec<boolean> {
  return { flags, help, codec: withDefault(Flag, false) };
}

/**
 * The long flag of an option, e.g. `--epochs` for `--epochs <n>`.
 *
 * @example
 * longFlag({ flags: '--epochs <n>', help: '', codec }); // '--epochs'
 */
export const longFlag = (spec: OptionSpec<unknown>): string => spec.flags.split(' ')[0];

/**
 * Decodes what commander collected, option by option, into the typed config; the
 * first invalid option becomes one line naming the flag, the accepted values and what
 * was given.
 *
 * @example
 * decodeOptions({ epochs: withValue('--epochs <n>', 'epochs', integerFromString(PositiveInteger), 10) }, { epochs: '0' });
 * // left('--epochs: expected a positive integer, got "0"')
 */
export function decodeOptions<T extends OptionTable>(
  table: T,
  raw: Readonly<Record<string, unknown>>,
): E.Either<string, ConfigOf<T>> {
  const config: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    const decoded: E.Either<DecodeProblem, unknown> = decodeFirstProblem(spec.codec, raw[key]);
    if (E.isLeft(decoded)) return E.left(describeProblem(decoded.left, longFlag(spec)));
    config[key] = decoded.right;
  }
  // Every key of the table was decoded by its own codec just above.
  return E.right(config as ConfigOf<T>);
}
