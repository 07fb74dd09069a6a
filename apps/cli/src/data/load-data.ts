import { stat } from 'node:fs/promises';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import {
  fashionMnist,
  idxDirectory,
  mnist,
  renderDataError,
  type DatasetSplits,
  type IdxDatasetSpec,
  type IdxType,
} from '@axon/data';
import { loadDataset, type DownloadProgress, type LoadOptions } from '@axon/data/node';
import { mnistDataDir } from '@axon/mnist-data';
import type { DatasetName } from '../training/vocabulary.js';

/** Each data set the CLI names, and the copy shipped with axon, if there is one. */
const datasets: Record<DatasetName, { readonly spec: IdxDatasetSpec<IdxType>; readonly bundledDir?: string }> = {
  mnist: { spec: mnist, bundledDir: mnistDataDir },
  'fashion-mnist': { spec: fashionMnist },
  idx: { spec: idxDirectory('idx') },
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
 * `$AXON_DATA_DIR` or the cache, else from the copy bundled with axon (MNIST, in
 * `@axon/mnist-data`), else downloaded into the cache, reporting download progress;
 * every file is verified. Left is the message for the user: one line, or for a failed
 * download one line per mirror and what to do. `options` replaces the download settings
 * and the environment (tests point them at a local server and an empty home).
 *
 * @example
 * await loadSplits('mnist', '../shared/data/mnist', () => undefined)();
 */
export function loadSplits(
  dataset: DatasetName,
  dataDir: string | null,
  onProgress: (progress: DownloadProgress) => void,
  options: Omit<LoadOptions, 'dir' | 'bundledDir' | 'onProgress'> = {},
): TE.TaskEither<string, DatasetSplits> {
  const { spec, bundledDir } = datasets[dataset];
  return pipe(
    dataDir === null ? TE.right<string, string | undefined>(undefined) : existingDirectory(dataDir),
    TE.chain((dir) =>
      pipe(
        loadDataset(spec, {
          ...options,
          ...(dir === undefined ? {} : { dir }),
          ...(bundledDir === undefined ? {} : { bundledDir }),
          onProgress,
        }),
        TE.mapLeft(renderDataError),
      ),
    ),
  );
}
