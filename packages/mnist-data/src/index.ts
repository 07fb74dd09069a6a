/**
 * @axon/mnist-data: the MNIST database of handwritten digits as its four original IDX
 * files, gzipped, shipped with axon so that training works with no network. The package
 * holds data only; `mnistDataDir` says where the files are.
 *
 * @example
 * ```ts
 * import { mnist } from '@axon/data';
 * import { loadDataset } from '@axon/data/node';
 * import { mnistDataDir } from '@axon/mnist-data';
 *
 * const splits = await loadDataset(mnist, { bundledDir: mnistDataDir })();
 * ```
 */
export { mnistDataDir } from './edge/location.js';
