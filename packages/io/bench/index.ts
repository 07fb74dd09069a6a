// Checkpoint and model-file sizes and save/load times for the tutorial's network
// (784 → 128 → 128 → 10, Adam), written to a temporary directory with fsync and
// atomic renames, as `axon train` writes them. Run with `npm run bench -w @axon/io`.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { adam, initTrainState, layers, losses, makeTrainStep } from '@axon/nn';
import { key, normal, tensor } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { renderModelFileError } from '../src/index.js';
import { freshCheckpoint, loadCheckpoint, saveCheckpoint, saveModel } from '../src/edge/index.js';

const model = layers.sequential([
  layers.flatten(),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(128, { activation: 'relu' }),
  layers.dense(10, { activation: 'softmax' }),
]);
const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
const step = makeTrainStep(plan);
const { state } = step(initTrainState(plan, key(0), [28, 28]), {
  x: normal(key(1), [128, 28, 28]),
  y: tensor(
    Array.from({ length: 128 }, (_, i) => i % 10),
    { dtype: 'int32' },
  ),
});
const checkpoint = { ...freshCheckpoint(state, {}), epoch: 1 };
const root = mkdtempSync(path.join(tmpdir(), 'axon-io-bench-'));

/** Milliseconds of each of `runs` runs of `task`, sorted. */
async function time(runs: number, task: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    out.push(performance.now() - start);
  }
  return out.sort((a, b) => a - b);
}
const orThrow = <A>(result: E.Either<Parameters<typeof renderModelFileError>[0], A>): A => {
  if (E.isLeft(result)) throw new Error(renderModelFileError(result.left));
  return result.right;
};
const report = (label: string, ms: readonly number[]): void =>
  console.log(
    `${label.padEnd(34)} median ${ms[ms.length >> 1].toFixed(1)} ms, min ${ms[0].toFixed(1)} ms (${ms.length} runs)`,
  );

try {
  report(
    'saveCheckpoint (model + checkpoint)',
    await time(
      15,
      async () =>
        void orThrow(await saveCheckpoint(path.join(root, 'run'), checkpoint, { model, inputShape: [28, 28] })()),
    ),
  );
  report(
    'saveModel (model files only)',
    await time(
      15,
      async () =>
        void orThrow(await saveModel(path.join(root, 'model'), model, state.params, { inputShape: [28, 28] })()),
    ),
  );
  report('loadCheckpoint', await time(15, async () => void orThrow(await loadCheckpoint(path.join(root, 'run'))())));
  for (const name of readdirSync(path.join(root, 'run')).sort())
    console.log(
      `${name.padEnd(16)} ${statSync(path.join(root, 'run', name))
        .size.toLocaleString('en-US')
        .padStart(10)} bytes`,
    );
} finally {
  rmSync(root, { recursive: true, force: true });
}
