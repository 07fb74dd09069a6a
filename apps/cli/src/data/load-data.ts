import { stat } from 'node:fs/promises';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import {
  fashionMnist,
  idxDirectory,
  loadDataset,
  mnist,
  renderDataError,
  type DatasetSplits,
  type DownloadProgress,
  type IdxDatasetSpec,
  type IdxType,
} from '@axon/data';
import type { DatasetName } from '../training/vocabulary.js';

const specs: Record<DatasetName, IdxDatasetSpec<IdxType>> = {
  mnist,
  'fashion-mnist': fashionMnist,
  idx: idxDirectory('idx'),
};

/** A directory the user named must exist: a typo should not silently start a download. */
const existingDirectory = (dir: string): TE.TaskEither<string, string> =>
  TE.tryCatch(
    async () => {
      if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
      return dir;
    },
    () => `--data-dir ${dir}: no such directory`,
  );

/**
 * Loads a data set's training and test splits: from `--data-dir` when given, else from
 * `$AXON_DATA_DIR` or the cache, else downloaded (with checksums verified) into the
 * cache, reporting download progress. Left is one line naming the problem.
 *
 * @example
 * await loadSplits('mnist', '../shared/data/mnist', () => undefined)();
 */
export function loadSplits(
  dataset: DatasetName,
  dataDir: string | null,
  onProgress: (progress: DownloadProgress) => void,
): TE.TaskEither<string, DatasetSplits> {
  const spec = specs[dataset];
  return pipe(
    dataDir === null ? TE.right<string, string | undefined>(undefined) : existingDirectory(dataDir),
    TE.chain((dir) =>
      pipe(
        loadDataset(spec, { ...(dir === undefined ? {} : { dir }), onProgress }),
        TE.mapLeft(renderDataError),
      ),
    ),
  );
}
