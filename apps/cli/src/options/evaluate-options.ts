import { PositiveInteger } from '@axon/io/codec';
import * as E from 'fp-ts/lib/Either.js';
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

/** How many mistakes `--errors` draws unless `--count` says: a 5 × 5 grid. */
const defaultErrorCount = 25;

/** The options of `axon evaluate`. */
export const evaluateOptions = {
  model: modelOption,
  dataset: modelDatasetOption,
  dataDir: dataDirOption,
  confusionSvg: optionalValue(
    '--confusion-svg <file>',
    'also write the confusion matrix as an SVG chart',
    PathText,
    'none',
  ),
  errors: optionalValue(
    '--errors <file>',
    'also draw the test images the model gets most confidently wrong, as a PNG grid',
    PathText,
    'none',
  ),
  count: optionalValue(
    '--count <n>',
    'with --errors: how many mistakes to draw',
    integerFromString(PositiveInteger),
    String(defaultErrorCount),
  ),
  batchSize: withValue(
    '--batch-size <n>',
    'test samples per batch (more is faster and takes more memory)',
    integerFromString(PositiveInteger),
    evaluationBatchSize,
  ),
  backend: backendOption,
  gpuMode: gpuModeOption,
  threads: threadsOption,
  json: jsonOption,
  verbose: verboseOption,
};

type EvaluateOptions = ConfigOf<typeof evaluateOptions>;

/**
 * What `axon evaluate` was asked to do. `dataset: null` means the one the model was
 * trained on; `errors: null`, no picture of mistakes.
 */
export type EvaluateConfig = {
  readonly command: 'evaluate';
  readonly errors: { readonly file: string; readonly count: number } | null;
} & Omit<EvaluateOptions, 'errors' | 'count'>;

/**
 * Completes the decoded options with the checks that involve more than one option.
 *
 * @example
 * evaluateConfig({ ...options, dataset: 'idx', dataDir: null }); // left('--dataset idx needs --data-dir DIR …')
 */
export function evaluateConfig(options: EvaluateOptions): E.Either<string, EvaluateConfig> {
  const { errors, count, ...rest } = options;
  if (rest.dataset === 'idx' && rest.dataDir === null) return E.left(idxNeedsDataDir);
  if (count !== null && errors === null) return E.left('--count applies only with --errors FILE');
  return E.right({
    command: 'evaluate',
    errors: errors === null ? null : { file: errors, count: count ?? defaultErrorCount },
    ...rest,
  });
}
