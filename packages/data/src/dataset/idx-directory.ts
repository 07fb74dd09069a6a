import type { FileChecksums } from '../checksum/checksum.js';
import { idxTypeNames, type IdxType } from '../idx/idx-type.js';
import type { IdxDatasetSpec, IdxPart } from './idx-dataset-spec.js';

/** The stems and mirror file names MNIST established and its successors kept. */
const layout: { readonly [P in IdxPart]: { readonly stem: string; readonly fileName: string } } = {
  trainInputs: { stem: 'train-images', fileName: 'train-images-idx3-ubyte.gz' },
  trainLabels: { stem: 'train-labels', fileName: 'train-labels-idx1-ubyte.gz' },
  testInputs: { stem: 't10k-images', fileName: 't10k-images-idx3-ubyte.gz' },
  testLabels: { stem: 't10k-labels', fileName: 't10k-labels-idx1-ubyte.gz' },
};

/**
 * The `files` of an IDX dataset laid out as MNIST is (`train-images`, `train-labels`,
 * `t10k-images`, `t10k-labels`), downloadable under MNIST's file names when `checksums`
 * is given.
 *
 * @example
 * ```ts
 * mnistLayout().trainInputs; // { stem: 'train-images' }
 * ```
 */
export const mnistLayout = (checksums?: { readonly [P in IdxPart]: FileChecksums }): IdxDatasetSpec['files'] => {
  const file = (part: IdxPart) => ({
    stem: layout[part].stem,
    ...(checksums === undefined ? {} : { download: { fileName: layout[part].fileName, checksums: checksums[part] } }),
  });
  return {
    trainInputs: file('trainInputs'),
    trainLabels: file('trainLabels'),
    testInputs: file('testInputs'),
    testLabels: file('testLabels'),
  };
};

/**
 * A generic IDX dataset: a directory holding `train-images`, `train-labels`,
 * `t10k-images` and `t10k-labels` in IDX form, gzipped or not, inputs of any element
 * type and sample shape. Local only: there is nothing to download. Without
 * `classNames` the classes are numbered `0 .. max label`.
 *
 * @example
 * ```ts
 * loadDataset(idxDirectory('my-digits'), { dir: '/data/my-digits' });
 * ```
 */
export const idxDirectory = (name: string, classNames?: readonly string[]): IdxDatasetSpec<IdxType> => ({
  name,
  ...(classNames === undefined ? {} : { classNames }),
  inputTypes: idxTypeNames,
  mirrors: [],
  files: mnistLayout(),
});
