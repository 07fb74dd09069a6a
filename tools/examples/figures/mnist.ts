import * as E from 'fp-ts/lib/Either.js';
import { mnist, renderDataError, type DatasetSplits } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { mnistDataDir } from '@axon/mnist-data';

/** MNIST as the guide's examples load it: the copy that ships with axon. */
export const loadMnist = async (): Promise<DatasetSplits<Uint8Array>> => {
  const loaded = await loadDataset(mnist, { bundledDir: mnistDataDir })();
  if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
  return loaded.right;
};
