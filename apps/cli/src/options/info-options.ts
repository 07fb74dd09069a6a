import * as E from 'fp-ts/lib/Either.js';
import { jsonOption, verboseOption } from './common-options.js';
import type { ConfigOf } from './option-spec.js';

/** The options of `axon info`. */
export const infoOptions = { json: jsonOption, verbose: verboseOption };

/** What `axon info` was asked to do. */
export type InfoConfig = { readonly command: 'info' } & ConfigOf<typeof infoOptions>;

/**
 * `axon info` has no checks beyond each option's own.
 *
 * @example
 * infoConfig({ json: true, verbose: false }); // right({ command: 'info', json: true, verbose: false })
 */
export function infoConfig(options: ConfigOf<typeof infoOptions>): E.Either<string, InfoConfig> {
  return E.right({ command: 'info', ...options });
}
