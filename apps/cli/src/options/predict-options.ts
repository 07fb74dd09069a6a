import * as E from 'fp-ts/lib/Either.js';
import type { ImageInput } from '../data/subject.js';
import { NonNegativeInteger } from '@axon/io/codec';
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
import { integerFromString, PathText } from './from-string.js';
import { type ConfigOf, optionalValue } from './option-spec.js';

/** The options of `axon predict`. */
export const predictOptions = {
  model: modelOption,
  image: optionalValue('--image <file>', 'a PNG image of a digit or garment, any size', PathText, 'use --index'),
  index: optionalValue(
    '--index <n>',
    'the index of a test image of the data set',
    integerFromString(NonNegativeInteger),
    'use --image',
  ),
  dataset: modelDatasetOption,
  dataDir: dataDirOption,
  backend: backendOption,
  gpuMode: gpuModeOption,
  threads: threadsOption,
  json: jsonOption,
  verbose: verboseOption,
};

/** What to predict: a PNG file, or a test image of the data set by index. */
export type PredictInput = ImageInput;

type PredictOptions = ConfigOf<typeof predictOptions>;

/** What `axon predict` was asked to do. */
export type PredictConfig = { readonly command: 'predict'; readonly input: PredictInput } & Omit<
  PredictOptions,
  'image' | 'index'
>;

/**
 * Completes the decoded options: exactly one of `--image` and `--index`, and the data
 * options only with `--index`, which is the one that reads the data set.
 *
 * @example
 * predictConfig({ ...options, image: 'seven.png', index: null }); // right({ input: { kind: 'image', path: 'seven.png' }, … })
 */
export function predictConfig(options: PredictOptions): E.Either<string, PredictConfig> {
  const { image, index, ...rest } = options;
  if (image !== null && index === null) {
    return rest.dataset !== null || rest.dataDir !== null
      ? E.left('--dataset and --data-dir apply only with --index')
      : E.right({ command: 'predict', input: { kind: 'image', path: image }, ...rest });
  }
  if (index !== null && image === null) {
    return rest.dataset === 'idx' && rest.dataDir === null
      ? E.left(idxNeedsDataDir)
      : E.right({ command: 'predict', input: { kind: 'index', index }, ...rest });
  }
  return E.left('give exactly one of --image FILE and --index N');
}
