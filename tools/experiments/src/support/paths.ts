import { fileURLToPath } from 'node:url';

/** A path from the repository root. */
export const fromRoot = (relative: string): string =>
  fileURLToPath(new URL(`../../../../${relative}`, import.meta.url));

/** Real MNIST, as the repository's tests and benchmarks find it: `../shared/data/mnist` beside the checkout. */
export const mnistDir = fileURLToPath(new URL('../../../../../shared/data/mnist', import.meta.url));

/** The built `axon` command. */
export const axonBin = fromRoot('apps/cli/dist/main.js');
