import * as t from 'io-ts';

/**
 * A number codec that accepts only the numbers `accepts` allows. The name reads as
 * a noun phrase ("a positive integer") because decode errors quote it after
 * "expected"; the decoded type stays a plain `number` so callers never cast.
 *
 * @example
 * const Even = refinedNumber('an even number', (n) => n % 2 === 0);
 * Even.is(4); // true
 */
function refinedNumber(name: string, accepts: (n: number) => boolean): t.Type<number, number, unknown> {
  const is = (u: unknown): u is number => typeof u === 'number' && accepts(u);
  return new t.Type<number, number, unknown>(
    name,
    is,
    (u, c) => (is(u) ? t.success(u) : t.failure(u, c)),
    (n) => n,
  );
}

/** Integers from 1 up: counts, sizes, epochs. */
export const PositiveInteger = refinedNumber('a positive integer', (n) => Number.isSafeInteger(n) && n > 0);

/** Integers from 0 up: indices, seeds. */
export const NonNegativeInteger = refinedNumber('a non-negative integer', (n) => Number.isSafeInteger(n) && n >= 0);

/** Finite numbers above 0: learning rates, scales, standard deviations. */
export const PositiveNumber = refinedNumber('a positive number', (n) => Number.isFinite(n) && n > 0);

/** Finite numbers from 0 up: durations. */
export const NonNegativeNumber = refinedNumber('a non-negative number', (n) => Number.isFinite(n) && n >= 0);

/** Any finite number. */
export const FiniteNumber = refinedNumber('a finite number', Number.isFinite);

/**
 * A fraction in [0, 1): a dropout rate or a validation split, where 1 would leave
 * nothing to train on.
 */
export const FractionBelowOne = refinedNumber('a number from 0 up to (not including) 1', (n) => n >= 0 && n < 1);

/**
 * A metric such as a loss, which training can drive to NaN or infinity. JSON has no
 * spelling for those, so they are written as `null` and read back as NaN.
 *
 * @example
 * Metric.encode(Number.NaN); // null
 * Metric.decode(null);       // right(NaN)
 */
export const Metric = new t.Type<number, number | null, unknown>(
  'a number (or null for NaN)',
  (u): u is number => typeof u === 'number',
  (u, c) => (typeof u === 'number' ? t.success(u) : u === null ? t.success(Number.NaN) : t.failure(u, c)),
  (n) => (Number.isFinite(n) ? n : null),
);

/** A fraction in [0, 1]: the largest shift of an image, as a share of its size. */
export const FractionUpToOne = refinedNumber('a number from 0 to 1', (n) => n >= 0 && n <= 1);

/** A fraction of a turn in [0, 0.5]: the largest rotation either way (half a turn reaches every angle). */
export const FractionUpToHalf = refinedNumber('a number from 0 to 0.5', (n) => n >= 0 && n <= 0.5);
