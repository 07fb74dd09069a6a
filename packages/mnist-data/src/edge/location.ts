import { fileURLToPath } from 'node:url';

// This file sits two folders below the package root in both src/ and dist/.
const dataFolder = new URL('../../data', import.meta.url);

/**
 * The directory holding the bundled MNIST files (`train-images-idx3-ubyte.gz`,
 * `train-labels-idx1-ubyte.gz`, `t10k-images-idx3-ubyte.gz`, `t10k-labels-idx1-ubyte.gz`),
 * wherever this package is installed. Give it to `loadDataset` as the bundled copy.
 *
 * @example
 * ```ts
 * import { mnist } from '@axon/data';
 * import { loadDataset } from '@axon/data/node';
 * import { mnistDataDir } from '@axon/mnist-data';
 *
 * await loadDataset(mnist, { bundledDir: mnistDataDir })(); // no network needed
 * ```
 */
export const mnistDataDir: string = fileURLToPath(dataFolder);
