import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { rowCount } from '../array/nd-array.js';
import type { DataError } from '../error/data-error.js';
import type { IdxArray, IdxArrayOf } from '../idx/idx-array.js';
import { idxTypeNames, isIntegerIdxType, type IdxType, type IdxValues } from '../idx/idx-type.js';
import { classLabels } from './class-labels.js';
import type { IdxDatasetSpec } from './idx-dataset-spec.js';
import type { LabeledDataset } from './labeled-dataset.js';

/** A parsed IDX file and the name it came from, for error messages. */
export interface NamedIdxArray {
  readonly file: string;
  readonly array: IdxArray;
}

type DatasetRules<T extends IdxType> = Pick<IdxDatasetSpec<T>, 'inputTypes' | 'sampleShape' | 'classNames'>;

const checkInputs = <T extends IdxType>(
  { file, array }: NamedIdxArray,
  { inputTypes, sampleShape }: DatasetRules<T>,
): E.Either<DataError, IdxArrayOf<T>> => {
  if (!(inputTypes as readonly IdxType[]).includes(array.type)) {
    return E.left({ kind: 'unexpected-type', file, expected: inputTypes, actual: array.type });
  }
  const shapeOk =
    sampleShape === undefined
      ? array.shape.length >= 1
      : array.shape.length === sampleShape.length + 1 && sampleShape.every((d, i) => array.shape[i + 1] === d);
  return shapeOk
    ? E.right(array as IdxArrayOf<T>)
    : E.left({
        kind: 'unexpected-shape',
        file,
        expected: sampleShape === undefined ? 'rank 1 or more' : `[n,${sampleShape.join(',')}]`,
        actual: array.shape,
      });
};

const integerTypes = idxTypeNames.filter(isIntegerIdxType);

const checkLabelArray = ({ file, array }: NamedIdxArray): E.Either<DataError, IdxArray> => {
  if (!isIntegerIdxType(array.type))
    return E.left({ kind: 'unexpected-type', file, expected: integerTypes, actual: array.type });
  if (array.shape.length !== 1) return E.left({ kind: 'unexpected-shape', file, expected: '[n]', actual: array.shape });
  return E.right(array);
};

/**
 * Pairs an inputs file with its labels file into a {@link LabeledDataset}, checking
 * what the dataset requires: the inputs' element type and sample shape, integer labels
 * of rank 1, equal sample counts (`count-mismatch`), and every label a class index
 * (`label-out-of-range`). Labels become an `Int32Array`; the inputs keep their array.
 *
 * @example
 * ```ts
 * labeledDatasetFromIdx(mnist)(
 *   { file: 'train-images-idx3-ubyte.gz', array: images },
 *   { file: 'train-labels-idx1-ubyte.gz', array: labels },
 * ); // right({ inputs: { values: Uint8Array, shape: [60000, 28, 28] }, labels: Int32Array, classNames })
 * ```
 */
export const labeledDatasetFromIdx =
  <T extends IdxType>(rules: DatasetRules<T>) =>
  (inputs: NamedIdxArray, labels: NamedIdxArray): E.Either<DataError, LabeledDataset<IdxValues[T]>> =>
    pipe(
      E.Do,
      E.apS('x', checkInputs(inputs, rules)),
      E.apS('y', checkLabelArray(labels)),
      E.filterOrElse(
        ({ x, y }) => rowCount(x) === y.values.length,
        ({ x, y }): DataError => ({
          kind: 'count-mismatch',
          file: labels.file,
          inputsFile: inputs.file,
          inputs: rowCount(x),
          labels: y.values.length,
        }),
      ),
      E.chain(({ x, y }) =>
        pipe(
          classLabels(labels.file, y.values, rules.classNames),
          E.map((classes) => ({ inputs: { values: x.values, shape: x.shape }, ...classes })),
        ),
      ),
    );
