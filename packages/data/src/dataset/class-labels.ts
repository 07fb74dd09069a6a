import * as E from 'fp-ts/lib/Either.js';
import type { DataError } from '../error/data-error.js';

/** Labels as class indices, and a name for each class. */
export interface ClassLabels {
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
}

/** `'0'`, `'1'`, … : the names of classes known only by number. */
const numberedClassNames = (count: number): string[] => Array.from({ length: count }, (_, i) => String(i));

/**
 * Checks that every label is a class index and copies them into an `Int32Array`. With
 * `classNames` the labels must lie in `0 .. classNames.length - 1`; without, they must be
 * non-negative integers and the classes are numbered `0 .. max`. The first bad label is
 * a `label-out-of-range` error naming `file` and its index.
 *
 * @example
 * ```ts
 * classLabels('y.idx', Uint8Array.of(2, 0), undefined); // right({ labels: Int32Array [2, 0], classNames: ['0', '1', '2'] })
 * classLabels('y.idx', Uint8Array.of(2), ['a', 'b']);   // left({ kind: 'label-out-of-range', index: 0, label: 2, ... })
 * ```
 */
export const classLabels = (
  file: string,
  values: ArrayLike<number>,
  classNames: readonly string[] | undefined,
): E.Either<DataError, ClassLabels> => {
  const limit = classNames?.length ?? Number.MAX_SAFE_INTEGER;
  const labels = new Int32Array(values.length);
  let max = -1;
  for (let i = 0; i < values.length; i++) {
    const label = values[i];
    if (!(Number.isInteger(label) && label >= 0 && label < limit && label <= 0x7fffffff)) {
      return E.left({ kind: 'label-out-of-range', file, index: i, label, classCount: classNames?.length ?? max + 1 });
    }
    labels[i] = label;
    if (label > max) max = label;
  }
  return E.right({ labels, classNames: classNames ?? numberedClassNames(max + 1) });
};
