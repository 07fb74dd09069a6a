/**
 * The pictures the docs show, made with the built `axon` as a user would: the tutorial's
 * model trained on MNIST (seed 0), then `axon explain` on the first test image
 * (docs/images/explain-ig.png) and `axon evaluate --errors` (docs/images/mistakes.png).
 *
 *   npm run pictures -w @axon/experiments
 *
 * Needs the CLI built (`npx nx run @axon/cli:build`) and MNIST in ../shared/data/mnist.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { axonBin, fromRoot, mnistDir } from './support/paths.js';

const axon = async (...args: string[]): Promise<string> => {
  process.stderr.write(`axon ${args.join(' ')}\n`);
  const { stdout } = await promisify(execFile)(process.execPath, [axonBin, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
};

const scratch = await mkdtemp(path.join(tmpdir(), 'axon-pictures-'));
try {
  const model = path.join(scratch, 'model');
  const common = ['--backend', 'wasm', '--threads', '1'];
  process.stdout.write(
    await axon('train', '--data-dir', mnistDir, '--seed', '0', '--out', model, '--quiet', ...common),
  );
  process.stdout.write(
    await axon(
      'explain',
      '--model',
      model,
      '--data-dir',
      mnistDir,
      '--index',
      '0',
      '--out',
      fromRoot('docs/images/explain-ig.png'),
      ...common,
    ),
  );
  const evaluation = await axon(
    'evaluate',
    '--model',
    model,
    '--data-dir',
    mnistDir,
    '--errors',
    fromRoot('docs/images/mistakes.png'),
    '--count',
    '25',
    ...common,
  );
  process.stdout.write(`${evaluation.split('\n')[0]}\n`);
} finally {
  await rm(scratch, { recursive: true, force: true });
}
