/**
 * Does augmentation help when data is scarce? The tutorial's MLP (or, with `--model cnn`,
 * Keras's mnist_convnet) is trained with the built `axon` on the first 1,000 MNIST
 * training images, with and without `--augment` (its defaults), for a few seeds each, and
 * tested on all 10,000 test images. Writes docs/experiments/augmentation.{json,md}
 * (augmentation-cnn.{json,md} for the convnet).
 *
 *   npm run augmentation -w @axon/experiments -- [--model mlp|cnn] [--epochs 50] [--seeds 0,1,2] [--limit 1000]
 *
 * Needs the CLI built (`npx nx run @axon/cli:build`) and MNIST in ../shared/data/mnist.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { axonBin, fromRoot, mnistDir } from './support/paths.js';
import { markdownTable, summarize } from './support/table.js';

const { values: options } = parseArgs({
  options: {
    model: { type: 'string', default: 'mlp' },
    epochs: { type: 'string', default: '50' },
    seeds: { type: 'string', default: '0,1,2' },
    limit: { type: 'string', default: '1000' },
  },
});
/** The networks compared, as `axon train --model` names them. */
const models = {
  mlp: { description: "the tutorial's MLP (784-128-128-10, relu, Adam 0.001, batch 128)", files: 'augmentation' },
  cnn: {
    description:
      "Keras's mnist_convnet (conv 32×3, max-pool 2, conv 64×3, max-pool 2, dropout 0.5, dense 10; Adam 0.001, batch 128)",
    files: 'augmentation-cnn',
  },
} as const;
if (options.model !== 'mlp' && options.model !== 'cnn')
  throw new Error(`--model: expected mlp or cnn, got "${options.model}"`);
const model = models[options.model];
const modelName = options.model;
const epochs = Number(options.epochs);
const limit = Number(options.limit);
const seeds = options.seeds.split(',').map(Number);

const arms = [
  { name: 'no augmentation', args: [] },
  { name: '--augment (defaults)', args: ['--augment'] },
] as const;

/** Trains once with the built CLI and returns the test accuracy its `done` event reports. */
const train = async (
  args: readonly string[],
  seed: number,
  out: string,
): Promise<{ accuracy: number; seconds: number }> => {
  const command = [
    axonBin,
    'train',
    '--model',
    modelName,
    '--data-dir',
    mnistDir,
    '--limit',
    String(limit),
    '--epochs',
    String(epochs),
    '--seed',
    String(seed),
    '--backend',
    'wasm',
    '--threads',
    '1',
    '--out',
    out,
    '--json',
    ...args,
  ];
  const { stdout } = await promisify(execFile)(process.execPath, command, { maxBuffer: 64 * 1024 * 1024 });
  const done = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { event: string; testAccuracy?: number; trainSeconds?: number })
    .find((e) => e.event === 'done');
  if (done?.testAccuracy === undefined || done.trainSeconds === undefined)
    throw new Error(`no done event from axon ${command.slice(1).join(' ')}`);
  return { accuracy: done.testAccuracy, seconds: done.trainSeconds };
};

const scratch = await mkdtemp(path.join(tmpdir(), 'axon-augmentation-'));
const results = [];
try {
  for (const arm of arms) {
    const runs = [];
    for (const seed of seeds) {
      const run = await train(arm.args, seed, path.join(scratch, `${arm.args.length}-${seed}`));
      process.stderr.write(
        `${arm.name}, seed ${seed}: test accuracy ${(run.accuracy * 100).toFixed(2)}% (${run.seconds.toFixed(1)} s of training)\n`,
      );
      runs.push({ seed, ...run });
    }
    results.push({
      arm: arm.name,
      command:
        `axon train --model ${modelName} --limit ${limit} --epochs ${epochs} --seed S ${arm.args.join(' ')}`.trim(),
      runs,
      accuracy: summarize(runs.map((r) => r.accuracy)),
    });
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

const percent = (x: number): string => `${(x * 100).toFixed(2)}%`;
const setup = `${model.description}, ${epochs} epochs on the first ${limit.toLocaleString('en-US')} MNIST training images, tested on all 10,000 test images; seeds ${seeds.join(', ')}`;
const table = markdownTable(
  ['training', ...seeds.map((s) => `seed ${s}`), 'mean ± std'],
  results.map((r) => [
    r.arm,
    ...r.runs.map((run) => percent(run.accuracy)),
    `${percent(r.accuracy.mean)} ± ${(r.accuracy.std * 100).toFixed(2)}`,
  ]),
);
const markdown = `# Augmentation on little data${modelName === 'cnn' ? ': the convnet' : ''}\n\n${setup[0].toUpperCase()}${setup.slice(1)}. Written by \`npm run augmentation -w @axon/experiments${modelName === 'cnn' ? ' -- --model cnn' : ''}\` (tools/experiments/src/augmentation.ts).\n\n${table}\n\nTraining time is not compared: the runs shared a loaded 2-core machine (load average ${loadavg()[0].toFixed(1)} at the end).\n`;
const dir = fromRoot('docs/experiments');
await writeFile(
  path.join(dir, `${model.files}.json`),
  `${JSON.stringify({ setup, epochs, limit, seeds, results }, null, 2)}\n`,
);
await writeFile(path.join(dir, `${model.files}.md`), markdown);
process.stdout.write(`${markdown}`);
