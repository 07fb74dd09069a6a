import { NonNegativeInteger, oneOf, PositiveInteger, Text } from '@axon/io/codec';
import * as E from 'fp-ts/lib/Either.js';
import type { ImageInput } from '../data/subject.js';
import {
  backendOption,
  dataDirOption,
  gpuModeOption,
  idxNeedsDataDir,
  jsonOption,
  modelDatasetOption,
  modelOption,
  threadsOption,
  verboseOption,
} from './common-options.js';
import { integerFromString, PathText } from './from-string.js';
import { type ConfigOf, optionalValue, withValue } from './option-spec.js';

/** The attribution methods `--method` offers. */
export const ExplainMethodName = oneOf(['ig', 'saliency', 'smoothgrad']);

/** Integrated Gradients' default number of steps, as TensorFlow's tutorial and @axon/explain use. */
const defaultSteps = 50;
/** SmoothGrad's default number of noisy copies, as in the paper. */
const defaultSamples = 50;

/** The options of `axon explain`. */
export const explainOptions = {
  model: modelOption,
  image: optionalValue('--image <file>', 'a PNG image of a digit or garment, any size', PathText, 'use --index'),
  index: optionalValue(
    '--index <n>',
    'the index of a test image of the data set',
    integerFromString(NonNegativeInteger),
    'use --image',
  ),
  method: withValue(
    '--method <name>',
    'attribution method: Integrated Gradients, gradient saliency or SmoothGrad',
    ExplainMethodName,
    'ig',
  ),
  class: optionalValue('--class <c>', 'the class to explain, by index or by name', Text, 'the predicted class'),
  steps: optionalValue(
    '--steps <n>',
    'with --method ig: steps along the path from a black image',
    integerFromString(PositiveInteger),
    String(defaultSteps),
  ),
  samples: optionalValue(
    '--samples <n>',
    'with --method smoothgrad: noisy copies averaged',
    integerFromString(PositiveInteger),
    String(defaultSamples),
  ),
  out: optionalValue(
    '--out <file>',
    'write the image with the attribution as a heat map over it, as a PNG',
    PathText,
    'none',
  ),
  dataset: modelDatasetOption,
  dataDir: dataDirOption,
  backend: backendOption,
  gpuMode: gpuModeOption,
  threads: threadsOption,
  json: jsonOption,
  verbose: verboseOption,
};

/** How `axon explain` attributes, with the setting each method has. */
export type ExplainMethod =
  | { readonly name: 'ig'; readonly steps: number }
  | { readonly name: 'saliency' }
  | { readonly name: 'smoothgrad'; readonly samples: number };

type ExplainOptions = ConfigOf<typeof explainOptions>;

/** What `axon explain` was asked to do. `className: null` means the predicted class. */
export type ExplainConfig = {
  readonly command: 'explain';
  readonly input: ImageInput;
  readonly method: ExplainMethod;
  readonly className: string | null;
} & Omit<ExplainOptions, 'image' | 'index' | 'method' | 'class' | 'steps' | 'samples'>;

/**
 * Completes the decoded options: exactly one of `--image` and `--index`, the data
 * options only with `--index`, `--steps` only with Integrated Gradients and `--samples`
 * only with SmoothGrad.
 *
 * @example
 * explainConfig({ ...options, index: 3, image: null, method: 'ig', steps: 64 }); // right({ input: { kind: 'index', index: 3 }, method: { name: 'ig', steps: 64 }, … })
 */
export function explainConfig(options: ExplainOptions): E.Either<string, ExplainConfig> {
  const { image, index, method, class: className, steps, samples, ...rest } = options;
  const input: ImageInput | undefined =
    image !== null && index === null
      ? { kind: 'image', path: image }
      : index !== null && image === null
        ? { kind: 'index', index }
        : undefined;
  if (input === undefined) return E.left('give exactly one of --image FILE and --index N');
  if (input.kind === 'image' && (rest.dataset !== null || rest.dataDir !== null))
    return E.left('--dataset and --data-dir apply only with --index');
  if (input.kind === 'index' && rest.dataset === 'idx' && rest.dataDir === null) return E.left(idxNeedsDataDir);
  if (steps !== null && method !== 'ig') return E.left('--steps applies only with --method ig');
  if (samples !== null && method !== 'smoothgrad') return E.left('--samples applies only with --method smoothgrad');
  const chosen: ExplainMethod =
    method === 'ig'
      ? { name: 'ig', steps: steps ?? defaultSteps }
      : method === 'smoothgrad'
        ? { name: 'smoothgrad', samples: samples ?? defaultSamples }
        : { name: 'saliency' };
  return E.right({ command: 'explain', input, method: chosen, className, ...rest });
}
