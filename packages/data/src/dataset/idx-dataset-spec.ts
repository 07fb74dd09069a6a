import type { FileChecksums } from '../checksum/checksum.js';
import type { IdxType } from '../idx/idx-type.js';

/** The four files of an IDX dataset, in the order `tf.keras` returns them. */
export type IdxPart = 'trainInputs' | 'trainLabels' | 'testInputs' | 'testLabels';

/**
 * The parts of an IDX dataset, in load order.
 *
 * @example
 * ```ts
 * idxParts; // ['trainInputs', 'trainLabels', 'testInputs', 'testLabels']
 * ```
 */
export const idxParts: readonly IdxPart[] = ['trainInputs', 'trainLabels', 'testInputs', 'testLabels'];

/** Where a dataset file can be downloaded from and how it is verified. */
export interface IdxDownload {
  /** The name on the mirrors, appended to each base URL. */
  readonly fileName: string;
  readonly checksums: FileChecksums;
}

/** One file of an IDX dataset. */
export interface IdxFileSpec {
  /**
   * The name every local copy starts with, e.g. `train-images`: a file named `stem`, or
   * `stem` followed by `-` or `.` (`train-images-idx3-ubyte`, `train-images-idx3-ubyte.gz`).
   */
  readonly stem: string;
  /** Absent for datasets that only exist locally. */
  readonly download?: IdxDownload;
}

/**
 * Everything needed to find, fetch, verify and check an IDX dataset. Specs are plain
 * data, so a user can describe a new IDX dataset (EMNIST, KMNIST) without new code.
 *
 * @example
 * ```ts
 * const kmnist: IdxDatasetSpec<'u8'> = { ...idxDirectory('kmnist'), inputTypes: ['u8'], sampleShape: [28, 28] };
 * ```
 */
export interface IdxDatasetSpec<T extends IdxType = IdxType> {
  /** The folder name under `$AXON_DATA_DIR` and the cache, e.g. `mnist`. */
  readonly name: string;
  /** Class names in label order; absent when the labels themselves say how many classes there are. */
  readonly classNames?: readonly string[];
  /** The element types allowed for the inputs. */
  readonly inputTypes: readonly T[];
  /** The shape of one sample, e.g. `[28, 28]`; absent to allow any. */
  readonly sampleShape?: readonly number[];
  /** Base URLs to download from, tried in order; empty for local-only datasets. */
  readonly mirrors: readonly string[];
  readonly files: { readonly [P in IdxPart]: IdxFileSpec };
}

/**
 * True when `name` is a copy of the file with stem `stem` (see {@link IdxFileSpec.stem}).
 *
 * @example
 * ```ts
 * matchesStem('train-images', 'train-images-idx3-ubyte.gz'); // true
 * matchesStem('train-images', 'train-images2');               // false
 * ```
 */
export const matchesStem = (stem: string, name: string): boolean =>
  name === stem || name.startsWith(`${stem}-`) || name.startsWith(`${stem}.`);

/**
 * The file in a directory listing that holds `stem`'s data: the first matching name in
 * sorted order, so a raw copy wins over its `.gz` twin, and the choice never depends on
 * the order the file system lists entries in.
 *
 * @example
 * ```ts
 * pickFile('t10k-labels', ['t10k-labels-idx1-ubyte.gz', 'README']); // 't10k-labels-idx1-ubyte.gz'
 * ```
 */
export const pickFile = (stem: string, names: readonly string[]): string | undefined =>
  [...names].sort().find((name) => matchesStem(stem, name));
