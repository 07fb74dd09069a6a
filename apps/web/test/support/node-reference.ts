import * as E from 'fp-ts/lib/Either.js';
import { mnist, renderDataError, type LabeledDataset } from '@axon/data';
import { loadDataset } from '@axon/data/node';
import { mnistDataDir } from '@axon/mnist-data';

/** MNIST's training set from the bundled copy, as the page's worker gets it from the site. */
export const bundledMnistTrain = async (): Promise<LabeledDataset<Uint8Array>> => {
  const loaded = await loadDataset(mnist, {
    bundledDir: mnistDataDir,
    download: false,
    environment: { homeDir: '/nonexistent' },
  })();
  if (E.isLeft(loaded)) throw new Error(renderDataError(loaded.left));
  return loaded.right.train;
};
