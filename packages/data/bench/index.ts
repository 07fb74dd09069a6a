/*
 * Times what a training run pays for data: loading the 70,000 real MNIST images (read,
 * gunzip, SHA-256 check, IDX parse), scaling them, and gathering one shuffled epoch of
 * batches. Needs the real files at ../shared/data/mnist from the repository root.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as E from 'fp-ts/lib/Either.js';
import { flow } from 'fp-ts/lib/function.js';
import {
  batchAt,
  batchCount,
  batchToTensors,
  flatten,
  mapInputs,
  mnist,
  renderDataError,
  scaleToUnit,
  shuffledOrder,
} from '../src/index.js';
import { loadDataset, type LoadOptions } from '../src/edge/index.js';

const dir = fileURLToPath(new URL('../../../../shared/data/mnist', import.meta.url));
const runs = 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const time = async <A>(label: string, f: () => Promise<A> | A): Promise<A> => {
  const times: number[] = [];
  let result!: A;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = await f();
    times.push(performance.now() - start);
  }
  console.log(
    `${label.padEnd(58)} median ${median(times).toFixed(1).padStart(7)} ms  (min ${Math.min(...times).toFixed(1)}, ${runs} runs)`,
  );
  return result;
};

const load = async (options: LoadOptions) => {
  const result = await loadDataset(mnist, { dir, download: false, ...options })();
  if (E.isLeft(result)) throw new Error(renderDataError(result.left));
  return result.right;
};

if (!existsSync(dir)) {
  console.log(`@axon/data bench skipped: no real MNIST at ${dir}`);
} else {
  console.log(`@axon/data: MNIST from ${dir}`);
  const splits = await time('load 70,000 images + labels (gunzip, SHA-256, parse)', () => load({}));
  await time('load 70,000 images + labels, verify: false', () => load({ verify: false }));
  const train = await time('scaleToUnit + flatten 60,000 images', () =>
    mapInputs(flow(scaleToUnit, flatten))(splits.train),
  );
  const n = train.labels.length;
  const order = await time('shuffledOrder(seed, epoch, 60000)', () => shuffledOrder(42, 0, n));
  const options = { batchSize: 128 };
  const batches = batchCount(n, options);
  await time(`one epoch: ${batches} batches of 128 x 784 (batchAt)`, () => {
    for (let i = 0; i < batches; i++) batchAt(train, order, i, options);
  });
  await time('one epoch: batchAt + batchToTensors', () => {
    for (let i = 0; i < batches; i++) batchToTensors(batchAt(train, order, i, options));
  });
}
