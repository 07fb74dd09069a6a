import * as E from 'fp-ts/lib/Either.js';
import type { DataError } from '../../src/index.js';

/** The error of a result that must have failed; fails the test if it did not. */
export const leftOf = <A>(result: E.Either<DataError, A>): DataError => {
  if (E.isRight(result)) throw new Error(`expected an error, got a value`);
  return result.left;
};
