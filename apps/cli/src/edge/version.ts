import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { decodeFirstProblem, describeProblem, Text } from '@axon/io/codec';
import { describeIoError } from '@axon/io/node';

// This file sits one folder below the package root in both src/ and dist/.
const packageJson = new URL('../../package.json', import.meta.url);

/**
 * The version of `@axon/cli`, from its package.json; left is one line saying why it
 * could not be read.
 *
 * @example
 * readAxonVersion(); // right('0.1.0')
 */
export function readAxonVersion(): E.Either<string, string> {
  const file = packageJson.pathname;
  return pipe(
    E.tryCatch(
      (): unknown => JSON.parse(readFileSync(packageJson, 'utf8')),
      (error) =>
        `${file}: ${error instanceof SyntaxError ? `not valid JSON (${error.message})` : describeIoError('read', error)}`,
    ),
    E.chain((json) =>
      pipe(
        decodeFirstProblem(t.type({ version: Text }), json),
        E.mapLeft((problem) => `${file}: ${describeProblem(problem)}`),
      ),
    ),
    E.map(({ version }) => version),
  );
}
