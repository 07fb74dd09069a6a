import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { NonNegativeInteger } from '@axon/io/codec';
import { verboseOption } from './common-options.js';
import { integerFromString, PathText } from './from-string.js';
import { type ConfigOf, optionalValue, withValue } from './option-spec.js';

/** A host name or address to listen on, as given. */
const HostText = new t.Type<string, string, unknown>(
  'a host name or IP address',
  (u): u is string => typeof u === 'string' && u !== '',
  (u, c) => (typeof u === 'string' && u.trim() !== '' ? t.success(u.trim()) : t.failure(u, c)),
  (s) => s,
);

/** The options of `axon serve`. */
export const serveOptions = {
  model: optionalValue(
    '--model <dir>',
    'model directory the page reads digits with, as `axon train --out` wrote it',
    PathText,
    "the playground's own",
  ),
  port: withValue(
    '--port <n>',
    'TCP port to listen on, 0 for any free one',
    integerFromString(NonNegativeInteger),
    8080,
  ),
  host: withValue('--host <h>', 'address to listen on (0.0.0.0 lets other machines connect)', HostText, '127.0.0.1'),
  verbose: verboseOption,
};

/** What `axon serve` was asked to do. */
export type ServeConfig = { readonly command: 'serve' } & ConfigOf<typeof serveOptions>;

/**
 * Checks that the port is one TCP has.
 *
 * @example
 * serveConfig({ model: null, port: 70000, host: '127.0.0.1', verbose: false }); // left('--port must be at most 65535, got 70000')
 */
export function serveConfig(options: ConfigOf<typeof serveOptions>): E.Either<string, ServeConfig> {
  return options.port > 65535
    ? E.left(`--port must be at most 65535, got ${options.port}`)
    : E.right({ command: 'serve', ...options });
}
