/**
 * @axon/data/node: datasets from the file system and the network, for Node.js. Finds a
 * dataset's files (a given directory, `$AXON_DATA_DIR`, the cache, a bundled copy),
 * downloads missing ones with retries into the cache, verifies each by SHA-256, and reads
 * CSV files. Everything else, including decoding and verifying bytes, is in `@axon/data`,
 * which also runs in browsers.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { mnist, renderDataError } from '@axon/data';
 * import { loadDataset } from '@axon/data/node';
 *
 * const loaded = await loadDataset(mnist, { dir: '../shared/data/mnist' })();
 * if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
 * loaded.right.train.inputs.shape; // [60000, 28, 28]
 * ```
 */
export {
  cacheDirectory,
  searchLocations,
  type DataEnvironment,
  type GivenDirectories,
  type SearchLocation,
} from '../locate/search-locations.js';
export { readDataEnvironment } from './environment.js';
export {
  downloadVerified,
  type DownloadOptions,
  type DownloadProgress,
  type DownloadRequest,
  type FetchLike,
} from './download.js';
export { loadDataset, type LoadOptions } from './load-dataset.js';
export { loadCsv } from './load-csv.js';
