import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { sequenceS } from 'fp-ts/lib/Apply.js';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as T from 'fp-ts/lib/Task.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { decodeIdxFile } from '../dataset/decode-file.js';
import { labeledDatasetFromIdx, type NamedIdxArray } from '../dataset/from-idx.js';
import { idxParts, pickFile, type IdxDatasetSpec, type IdxPart } from '../dataset/idx-dataset-spec.js';
import type { DatasetSplits } from '../dataset/labeled-dataset.js';
import { mirrorUrl } from '../download/mirror-url.js';
import type { DataError } from '../error/data-error.js';
import type { IdxType, IdxValues } from '../idx/idx-type.js';
import {
  cacheDirectory,
  searchLocations,
  type DataEnvironment,
  type SearchLocation,
} from '../locate/search-locations.js';
import { downloadVerified, type DownloadOptions } from './download.js';
import { readDataEnvironment } from './environment.js';
import { listDirectory, readBytes } from './files.js';

/** Where to look for a dataset and whether and how to download it. */
export interface LoadOptions extends DownloadOptions {
  /** A directory holding the dataset's files; searched first. */
  readonly dir?: string;
  /**
   * A directory holding a copy shipped with the application (e.g. `mnistDataDir` from
   * `@axon/mnist-data`); searched after the cache, before downloading.
   */
  readonly bundledDir?: string;
  /** Download missing files into the cache. Default `true`. */
  readonly download?: boolean;
  /** A base URL to download from instead of the dataset's mirrors. */
  readonly baseUrl?: string;
  /** Check local copies against the known checksums; downloads are always checked. Default `true`. */
  readonly verify?: boolean;
  /** Default: read from this process (`AXON_DATA_DIR`, `XDG_CACHE_HOME`, the home directory). */
  readonly environment?: DataEnvironment;
}

interface Listing {
  readonly location: SearchLocation;
  readonly names: readonly string[];
}

/** SHA-256 through Node's hash, which reads the bytes in place (Web Crypto's copies a whole decompressed file first). */
const sha256InPlace = (bytes: Uint8Array): Promise<string> =>
  Promise.resolve(createHash('sha256').update(bytes).digest('hex'));

const describeLocation = ({ dir, origin }: SearchLocation): string => `${dir} (${origin})`;

const loadPart = <T extends IdxType>(
  spec: IdxDatasetSpec<T>,
  part: IdxPart,
  listings: readonly Listing[],
  env: DataEnvironment,
  options: LoadOptions,
): TE.TaskEither<DataError, NamedIdxArray> => {
  const { stem, download } = spec.files[part];
  for (const { location, names } of listings) {
    const name = pickFile(stem, names);
    if (name === undefined) continue;
    const file = join(location.dir, name);
    return pipe(
      readBytes(file),
      TE.chain(decodeIdxFile(file, options.verify === false ? undefined : download?.checksums, sha256InPlace)),
      TE.map((array) => ({ file, array })),
    );
  }
  const notFound = (reason?: DataError): DataError => ({
    kind: 'not-found',
    file: stem,
    dataset: spec.name,
    searched: listings.map(({ location }) => describeLocation(location)),
    expectedFiles: idxParts.map((p) => spec.files[p].stem),
    ...(reason === undefined ? {} : { download: reason }),
  });
  const mirrors = options.baseUrl === undefined ? spec.mirrors : [options.baseUrl];
  if (options.download === false || download === undefined || mirrors.length === 0) return TE.left(notFound());
  const destination = join(cacheDirectory(env, spec.name), download.fileName);
  return pipe(
    downloadVerified(
      { file: download.fileName, urls: mirrors.map((base) => mirrorUrl(base, download.fileName)), destination },
      decodeIdxFile(download.fileName, download.checksums, sha256InPlace),
      options,
    ),
    TE.bimap(notFound, (array) => ({ file: destination, array })),
  );
};

/**
 * Loads an IDX dataset's training and test sets. Each file is looked for in the `dir`
 * option, then `$AXON_DATA_DIR/<name>`, then the cache (`$XDG_CACHE_HOME/axon/<name>` or
 * `~/.cache/axon/<name>`), then the `bundledDir` option, and otherwise downloaded from the
 * mirrors (or `baseUrl`) into the cache. Files may be gzipped or raw; every copy, local or
 * downloaded, is verified by the SHA-256 of its decompressed content. Fails with a
 * {@link DataError}: a `not-found` error lists where it looked, the last error of each
 * mirror, and how to give a directory.
 *
 * @example
 * ```ts
 * const result = await loadDataset(mnist, { dir: '../shared/data/mnist' })();
 * if (E.isRight(result)) result.right.train.inputs.shape; // [60000, 28, 28]
 * else console.error(renderDataError(result.left));
 * ```
 */
export const loadDataset = <T extends IdxType>(
  spec: IdxDatasetSpec<T>,
  options: LoadOptions = {},
): TE.TaskEither<DataError, DatasetSplits<IdxValues[T]>> =>
  pipe(
    TE.fromIO(() => options.environment ?? readDataEnvironment()),
    TE.chain((env) => {
      const locations = searchLocations(spec.name, env, options);
      return pipe(
        TE.fromTask(T.sequenceArray(locations.map((location) => listDirectory(location.dir)))),
        TE.map((names) => locations.map((location, i): Listing => ({ location, names: names[i] }))),
        TE.chain((listings) =>
          sequenceS(TE.ApplyPar)({
            trainInputs: loadPart(spec, 'trainInputs', listings, env, options),
            trainLabels: loadPart(spec, 'trainLabels', listings, env, options),
            testInputs: loadPart(spec, 'testInputs', listings, env, options),
            testLabels: loadPart(spec, 'testLabels', listings, env, options),
          }),
        ),
      );
    }),
    TE.chainEitherK((files) => {
      const assemble = labeledDatasetFromIdx(spec);
      return sequenceS(E.Apply)({
        train: assemble(files.trainInputs, files.trainLabels),
        test: assemble(files.testInputs, files.testLabels),
      });
    }),
  );
