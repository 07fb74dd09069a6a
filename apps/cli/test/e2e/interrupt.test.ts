// Ctrl-C (SIGINT) or SIGTERM during training stops after the current batch: exit status
// 130 (143 for SIGTERM), one line on stderr, and the run as of its last finished epoch
// written atomically to --out (a model with its checkpoint, which --resume continues),
// no temporary directory beside it.
// Signals that come while the model is being saved, one or several, let the save finish
// and say so.
import { existsSync, watch } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingEvents } from '../support/json-lines.js';
import {
  createSandbox,
  finished,
  firstLine,
  outcome,
  runAxon,
  type Sandbox,
  spawnAxon,
  succeeded,
} from '../support/run-axon.js';
import { type SyntheticIdx, writeSyntheticIdx } from '../support/synthetic-idx.js';

let sandbox: Sandbox;
let data: SyntheticIdx;

beforeAll(async () => {
  sandbox = await createSandbox('interrupt');
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 51, classes: 3 });
});

afterAll(() => sandbox.remove());

/** Far more epochs than the test waits for: only Ctrl-C (or the timeout) ends the run. */
const longTraining = (out: string, ...more: string[]): string[] => [
  'train',
  '--dataset',
  'idx',
  '--data-dir',
  data.dir,
  '--epochs',
  '100000',
  '--seed',
  '1',
  '--out',
  out,
  ...more,
];

/** Starts `args`, waits for a line matching `pattern` on stdout, then sends `signal` (Ctrl-C by default). */
async function interruptAfter(args: readonly string[], pattern: RegExp, signal: NodeJS.Signals = 'SIGINT') {
  // Long enough to reach the first epoch on a busy machine; a run that ignores Ctrl-C fails here, not at the test timeout.
  const child = spawnAxon(args, { sandbox, timeoutMs: 20_000 });
  const result = finished(child, args);
  await firstLine(child, pattern);
  child.kill(signal);
  return result;
}

/** The names in the sandbox that an atomic save leaves while it works. */
const temporaryNames = async (): Promise<string[]> =>
  (await readdir(sandbox.root)).filter((name) => /\.(tmp|old)-/.test(name));

/** Every file of a directory, by name. */
const contentsOf = async (dir: string): Promise<Record<string, Buffer>> => {
  const names = (await readdir(dir)).sort();
  return Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await readFile(path.join(dir, name))] as const)),
  );
};

/** The line a signal ends a run with, naming the directory that now holds it. */
const stoppedMessage = (how: string, out: string): RegExp =>
  new RegExp(
    `^axon train: ${how} after [1-9]\\d* steps; ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} holds the run after epoch \\d+ of 100000 \\(axon train --resume \\S+ continues it\\)\\n$`,
  );

/** What a stopped run leaves in its directory. */
const runFiles = ['checkpoint.bin', 'checkpoint.json', 'history.json', 'model.json', 'training.svg', 'weights.bin'];

/** Resolves with the name of the first entry in `dir` that starts with `prefix`, as soon as it is created. */
function firstCreated(dir: string, prefix: string): { readonly name: Promise<string>; readonly close: () => void } {
  const watcher = watch(dir);
  const name = new Promise<string>((resolve) =>
    watcher.on('change', (_event, file) => {
      if (typeof file === 'string' && file.startsWith(prefix)) resolve(file);
    }),
  );
  return { name, close: () => watcher.close() };
}

describe('Ctrl-C during axon train', () => {
  it('exits 130 after the current batch, with a message on stderr, and writes the run as of its last finished epoch', async () => {
    const result = await interruptAfter(longTraining('model', '--backend', 'js'), /^epoch +1\/100000 /);
    expect(result.status, outcome(result)).toBe(130);
    expect(result.stderr).toMatch(stoppedMessage('interrupted', 'model'));
    expect(result.stdout).not.toMatch(/model written to/);
    expect((await readdir(sandbox.path('model'))).sort()).toEqual(runFiles);
    expect(await temporaryNames()).toEqual([]);
  });

  it('replaces a model already at --out only with the complete new one, and ends --json output with an error event (wasm backend)', async () => {
    const kept = sandbox.path('kept');
    succeeded(
      await runAxon(
        [
          'train',
          '--dataset',
          'idx',
          '--data-dir',
          data.dir,
          '--epochs',
          '1',
          '--layers',
          '8',
          '--backend',
          'js',
          '--out',
          kept,
          '--quiet',
        ],
        { sandbox },
      ),
    );
    const before = await contentsOf(kept);

    const result = await interruptAfter(longTraining(kept, '--backend', 'wasm', '--json'), /^\{"event":"epoch"/);
    expect(result.status, outcome(result)).toBe(130);
    expect(result.stderr).toMatch(stoppedMessage('interrupted', kept));
    const events = trainingEvents(result.stdout);
    expect(events.map((event) => event.event)).toEqual(['start', ...events.slice(1, -1).map(() => 'epoch'), 'error']);
    expect(events.at(-1)).toEqual({ event: 'error', message: result.stderr.trimEnd() });
    const after = await contentsOf(kept);
    expect(Object.keys(after)).toEqual(runFiles);
    expect(Object.keys(before)).toEqual(runFiles);
    expect(after['weights.bin'].equals(before['weights.bin'])).toBe(false);
    expect(await temporaryNames()).toEqual([]);
  });

  it('stops on SIGTERM as on Ctrl-C, with the status shells give SIGTERM (143)', async () => {
    const result = await interruptAfter(longTraining('terminated', '--backend', 'js'), /^epoch +1\/100000 /, 'SIGTERM');
    expect(result.status, outcome(result)).toBe(143);
    expect(result.stderr).toMatch(stoppedMessage('stopped by SIGTERM', 'terminated'));
    expect((await readdir(sandbox.path('terminated'))).sort()).toEqual(runFiles);
    expect(await temporaryNames()).toEqual([]);
  });
});

describe('signals while axon train saves the model', () => {
  // A wide layer makes weights.bin about 26 MB, so that the save (written and synced to
  // disk) lasts long enough to be caught: the test freezes axon the moment the
  // temporary directory appears, queues the signals, and lets it go on.
  const cases = [
    { signals: ['SIGINT'], title: 'one Ctrl-C' },
    { signals: ['SIGTERM', 'SIGINT'], title: 'SIGTERM, then Ctrl-C' },
  ] as const;
  it.for(cases)(
    'after $title, the save finishes, exits 0, and says the model was saved anyway',
    async ({ signals }) => {
      const out = `saved-${signals.join('-')}`;
      const args = [
        'train',
        '--dataset',
        'idx',
        '--data-dir',
        data.dir,
        '--epochs',
        '1',
        '--limit',
        '16',
        '--batch-size',
        '16',
        '--layers',
        '8192',
        '--seed',
        '1',
        '--backend',
        'wasm',
        '--out',
        out,
        '--quiet',
      ];
      const created = firstCreated(sandbox.root, `${out}.tmp-`);
      const child = spawnAxon(args, { sandbox, timeoutMs: 40_000 });
      const result = finished(child, args);
      try {
        const temporary = await Promise.race([
          created.name,
          result.then(() => Promise.reject(new Error('axon ended before saving'))),
        ]);
        child.kill('SIGSTOP');
        // The test only means something if axon was stopped mid-save.
        expect(existsSync(sandbox.path(temporary)), 'the save had already finished when axon was stopped').toBe(true);
        for (const signal of signals) child.kill(signal);
        child.kill('SIGCONT');
      } finally {
        created.close();
      }
      const { status, stderr, stdout } = await result;
      expect(status, outcome(await result)).toBe(0);
      // Signals pending while a process is stopped arrive by number (SIGINT first), not in the order sent.
      expect(stderr).toMatch(
        new RegExp(
          `^axon train: (${signals.join('|')}) came while the model was being saved; it was saved anyway to ${out}\\n$`,
        ),
      );
      expect(stdout).toMatch(/model written to /);
      expect((await readdir(sandbox.path(out))).sort()).toEqual(runFiles);
      expect(await temporaryNames()).toEqual([]);
    },
  );
});
