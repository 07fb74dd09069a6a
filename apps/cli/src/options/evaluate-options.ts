import * as E from 'fp-ts/lib/Either.js';
import { PositiveInteger } from '@axon/io/codec';
import {
  backendOption,
  gpuModeOption,
  dataDirOption,
  idxNeedsDataDir,
  jsonOption,
  modelDatasetOption,
  modelOption,
  threadsOption,
  verboseOption,
} from './common-options.js';
import { evaluationBatchSize } from '../training/settings.js';
import { integerFromString, PathText } from './from-string.js';
import { type ConfigOf, optionalValue, withValue } from './option-spec.js';

/** The options of `axon evaluate`. */
export const evaluateOptions = {
  model: modelOption,
  dataset: modelDatasetOption,
  dataDir: dataDirOption,
  confusionSvg: optionalValue('--confusion-svg <file>', 'also write the confusion matrix as an SVG chart', PathText, 'none'),
  batchSize: withValue('--batch-size <n>', 'test samples per batch (more is faster and takes more memory)', integerFromString(PositiveInteger), evaluationBatchSize),
  backend: backendOption,
  gpuMode: gpuModeOption,
  threads: threadsOption,
  json: jsonOption,
  verbose: verboseOption,
};

/** What `axon evaluate` was asked to do. `dataset: null` means the one the model was trained on. */
export type EvaluateConfig = { readonly command: 'evaluate' } & ConfigOf<typeof evaluateOptions>;

/**
 * Completes the decoded options with the checks that involve more than one option.
 *
 * @example
 * evaluateConfig({ ...options, dataset: 'idx', dataDir: null }); // left('--dataset idx needs --data-dir DIR …')
 */
export function evaluateConfig(options: ConfigOf<typeof evaluateOptions>): E.Either<string, EvaluateConfig> {
  return options.dataset === 'idx' && options.dataDir === null
    ? E.left(idxNeedsDataDir)
    : E.right({ command: 'evaluate', ...options });
}
