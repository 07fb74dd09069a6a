// Checkpoints and resume through the built CLI: a run continued with --resume ends
// bit for bit where a straight run ends, Ctrl-C leaves a resumable directory, and a
// resume that contradicts its checkpoint is refused with one line.
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSandbox,
  finished,
  firstLine,
  outcome,
  runAxon,
  type Sandbox,
  setupTimeoutMs,
  spawnAxon,
  succeeded,
} from '../support/run-axon.js';
import { loadSavedModel } from '../support/model-files.js';
import { type SyntheticIdx, writeSyntheticIdx } from '../support/synthetic-idx.js';

let sandbox: Sandbox;
let data: SyntheticIdx;
let other: SyntheticIdx;

beforeAll(async () => {
  sandbox = await createSandbox('resume');
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 61, classes: 3, trainCount: 200, testCount: 40 });
  other = await writeSyntheticIdx(sandbox.path('other-data'), { seed: 62, classes: 3, trainCount: 200, testCount: 40 });
}, setupTimeoutMs);
afterAll(() => sandbox.remove());

/** A small run with dropout (so the PRNG key matters), a validation split and Adam. */
const run = (out: string, ...more: string[]): string[] => [
  'train',
  '--dataset',
  'idx',
  '--data-dir',
  data.dir,
  '--layers',
  '16',
  '--dropout',
  '0.2',
  '--validation-split',
  '0.2',
  '--batch-size',
  '32',
  '--seed',
  '3',
  '--quiet',
  '--out',
  sandbox.path(out),
  ...more,
];
const bytesOf = (dir: string, name: string): Promise<Buffer> => readFile(sandbox.path(dir, name));

describe('axon train --resume', () => {
  it.each(['js', 'wasm'])(
    '4 epochs straight and 2 epochs + --resume to 4 give byte-identical weights.bin and checkpoints (%s backend)',
    async (backend) => {
      succeeded(await runAxon(run(`straight-${backend}`, '--epochs', '4', '--backend', backend), { sandbox }));
      succeeded(await runAxon(run(`resumed-${backend}`, '--epochs', '2', '--backend', backend), { sandbox }));
      succeeded(
        await runAxon(
          [
            'train',
            '--resume',
            sandbox.path(`resumed-${backend}`),
            '--data-dir',
            data.dir,
            '--epochs',
            '4',
            '--quiet',
            '--backend',
            backend,
          ],
          { sandbox },
        ),
      );
      expect(
        (await bytesOf(`resumed-${backend}`, 'weights.bin')).equals(
          await bytesOf(`straight-${backend}`, 'weights.bin'),
        ),
      ).toBe(true);
      expect(
        (await bytesOf(`resumed-${backend}`, 'checkpoint.bin')).equals(
          await bytesOf(`straight-${backend}`, 'checkpoint.bin'),
        ),
      ).toBe(true);
      const [straight, resumed] = await Promise.all([
        loadSavedModel(sandbox.path(`straight-${backend}`)),
        loadSavedModel(sandbox.path(`resumed-${backend}`)),
      ]);
      const withoutSeconds = (model: typeof straight): unknown =>
        model.metadata?.history.map(({ seconds: _, ...rest }) => rest);
      expect(withoutSeconds(resumed)).toEqual(withoutSeconds(straight));
      expect(resumed.metadata?.training).toEqual(straight.metadata?.training);
      expect((await readdir(sandbox.path(`resumed-${backend}`))).sort()).toEqual([
        'checkpoint.bin',
        'checkpoint.json',
        'history.json',
        'model.json',
        'training.svg',
        'weights.bin',
      ]);
    },
  );

  it('Ctrl-C writes a resumable checkpoint of the last finished epoch, and the resumed run ends where a straight one does', async () => {
    succeeded(await runAxon(run('straight-30', '--epochs', '30', '--backend', 'js'), { sandbox }));
    const args = run('interrupted', '--epochs', '30', '--checkpoint-every', '1', '--backend', 'js').filter(
      (arg) => arg !== '--quiet',
    );
    const child = spawnAxon(args, { sandbox, timeoutMs: 30_000 });
    const result = finished(child, args);
    await firstLine(child, /^epoch +1\/30 /);
    child.kill('SIGINT');
    const stopped = await result;
    expect(stopped.status, outcome(stopped)).toBe(130);
    expect(stopped.stderr).toMatch(
      new RegExp(
        `^axon train: interrupted after \\d+ steps; ${sandbox.path('interrupted')} holds the run after epoch \\d+ of 30 \\(axon train --resume ${sandbox.path('interrupted')} continues it\\)\\n$`,
      ),
    );
    expect((await readdir(sandbox.root)).filter((name) => /\.(tmp|old)-/.test(name))).toEqual([]);
    succeeded(
      await runAxon(
        ['train', '--resume', sandbox.path('interrupted'), '--data-dir', data.dir, '--quiet', '--backend', 'js'],
        { sandbox },
      ),
    );
    expect((await bytesOf('interrupted', 'weights.bin')).equals(await bytesOf('straight-30', 'weights.bin'))).toBe(
      true,
    );
  });

  it('refuses, with one line and exit 1, a resume that contradicts its checkpoint or has nothing to do', async () => {
    succeeded(await runAxon(run('finished', '--epochs', '2', '--backend', 'js'), { sandbox }));
    const resume = (...more: string[]): string[] => [
      'train',
      '--resume',
      sandbox.path('finished'),
      '--data-dir',
      data.dir,
      '--backend',
      'js',
      '--quiet',
      ...more,
    ];
    const cases: [string[], string][] = [
      [
        resume('--epochs', '4', '--optimizer', 'sgd'),
        `axon train: --resume ${sandbox.path('finished')}: the run was trained with --optimizer adam; --optimizer sgd contradicts it (leave it out to continue the run as it was)`,
      ],
      [
        resume('--epochs', '4', '--layers', '32'),
        `axon train: --resume ${sandbox.path('finished')}: the run was trained with --layers 16; --layers 32 contradicts it (leave it out to continue the run as it was)`,
      ],
      [resume('--epochs', '4', '--seed', '4'), 'the run was trained with --seed 3; --seed 4 contradicts it'],
      [resume('--epochs', '4', '--limit', '100'), 'the run was trained with no --limit; --limit 100 contradicts it'],
      [
        resume(),
        `axon train: --resume ${sandbox.path('finished')}: the run has done 2 of 2 epochs; give --epochs above 2 to train on`,
      ],
      [
        [...resume('--epochs', '4'), '--data-dir', other.dir],
        `axon train: --resume ${sandbox.path('finished')}: the training data differs from the data the run was trained on`,
      ],
      [
        ['train', '--resume', sandbox.path('no-such-run'), '--backend', 'js'],
        `axon train: ${sandbox.path('no-such-run', 'model.json')}: cannot read: does not exist`,
      ],
    ];
    const before = await bytesOf('finished', 'weights.bin');
    for (const [args, says] of cases) {
      const result = await runAxon(args, { sandbox });
      expect(result.status, outcome(result)).toBe(1);
      expect(result.stderr).toMatch(/^axon train: [^\n]+\n$/);
      expect(result.stderr).toContain(says);
    }
    expect((await bytesOf('finished', 'weights.bin')).equals(before)).toBe(true);
  });
});
