import * as E from 'fp-ts/lib/Either.js';
import { readMnistImage } from '../image/read-image.js';
import { datasetFor, type ReadyModel } from '../model/open-model.js';
import type { DatasetName } from '../training/vocabulary.js';
import { loadSplits } from './load-data.js';

/** An image a command looks at: a PNG file, or a test image of the data set by index. */
export type ImageInput =
  { readonly kind: 'image'; readonly path: string } | { readonly kind: 'index'; readonly index: number };

/** An image to classify: its raw pixels (0–255, row-major), its shape and, for a test image, its label. */
export interface Subject {
  readonly pixels: Float32Array;
  readonly shape: readonly number[];
  readonly label?: number;
}

/** Where `--index` finds the test set. */
export interface SubjectData {
  readonly dataset: DatasetName | null;
  readonly dataDir: string | null;
}

/**
 * The raw pixels of the image a command was given: a PNG turned into a centred 28×28
 * grey digit the way MNIST's were made, or test image `index` of the model's data set
 * (or `--dataset`'s). Left is one line.
 *
 * @example
 * const subject = await subjectOf({ kind: 'index', index: 0 }, config, ready); // right({ pixels, shape: [28, 28], label: 7 })
 */
export const subjectOf = async (
  input: ImageInput,
  data: SubjectData,
  ready: ReadyModel,
): Promise<E.Either<string, Subject>> => {
  if (input.kind === 'image') {
    const image = await readMnistImage(input.path)();
    // The image pipeline gives MNIST-like values in [0, 1]; the model's normalization starts from raw pixels.
    return E.isLeft(image) ? image : E.right({ pixels: image.right.map((v) => v * 255), shape: [28, 28] });
  }
  const { index } = input;
  const dataset = datasetFor(ready, data.dataset);
  if (E.isLeft(dataset)) return dataset;
  const splits = await loadSplits(dataset.right, data.dataDir, () => undefined)();
  if (E.isLeft(splits)) return splits;
  const { inputs, labels } = splits.right.test;
  if (index >= labels.length)
    return E.left(
      `--index ${index}: the ${dataset.right} test set has ${labels.length} images (0 to ${labels.length - 1})`,
    );
  const shape = inputs.shape.slice(1);
  const size = shape.reduce((a, b) => a * b, 1);
  return E.right({
    pixels: Float32Array.from(inputs.values.subarray(index * size, (index + 1) * size)),
    shape,
    label: labels[index],
  });
};
