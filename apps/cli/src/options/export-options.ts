import * as E from 'fp-ts/lib/Either.js';
import { oneOf } from '@axon/io/codec';
import { modelOption, verboseOption } from './common-options.js';
import { PathText } from './from-string.js';
import { type ConfigOf, requiredValue, withValue } from './option-spec.js';

/** The formats `axon export` writes. */
export const ExportFormat = oneOf(['onnx']);

/** The options of `axon export`. */
export const exportOptions = {
  model: modelOption,
  format: withValue('--format <name>', 'file format', ExportFormat, 'onnx' as const),
  out: requiredValue('--out <file>', 'file to write', PathText),
  verbose: verboseOption,
};

/** What `axon export` was asked to do. */
export type ExportConfig = { readonly command: 'export' } & ConfigOf<typeof exportOptions>;

/**
 * `axon export` has no checks beyond each option's own.
 *
 * @example
 * exportConfig({ model: 'model', format: 'onnx', out: 'model.onnx', verbose: false }); // right({ command: 'export', … })
 */
export function exportConfig(options: ConfigOf<typeof exportOptions>): E.Either<string, ExportConfig> {
  return E.right({ command: 'export', ...options });
}
