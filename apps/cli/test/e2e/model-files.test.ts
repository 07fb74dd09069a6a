// Hostile and damaged model files through the built CLI: always one line and exit 1,
// never a stack; and what interrupted saves leave behind is cleaned up by later runs.
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, outcome, runAxon, type Sandbox, setupTimeoutMs, succeeded } from '../support/run-axon.js';
import { type SyntheticIdx, writeSyntheticIdx } from '../support/synthetic-idx.js';

let sandbox: Sandbox;
let data: SyntheticIdx;
let model: string;

beforeAll(async () => {
  sandbox = await createSandbox('model-files');
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 5, classes: 3, trainCount: 120, testCount: 30 });
  model = sandbox.path('model');
  succeeded(
    await runAxon(
      [
        'train',
        '--dataset',
        'idx',
        '--data-dir',
        data.dir,
        '--layers',
        '8',
        '--epochs',
        '1',
        '--seed',
        '2',
        '--backend',
        'js',
        '--out',
        model,
        '--quiet',
      ],
      { sandbox },
    ),
  );
}, setupTimeoutMs);

afterAll(() => sandbox.remove());

let copies = 0;
/** A copy of the trained model with one file replaced. */
async function withFile(name: string, contents: Uint8Array): Promise<string> {
  const dir = sandbox.path(`fuzzed-${copies++}`);
  await cp(model, dir, { recursive: true });
  await writeFile(path.join(dir, name), contents);
  return dir;
}

const expectOneLine = (result: Awaited<ReturnType<typeof runAxon>>): void => {
  expect(result.status, outcome(result)).toBe(1);
  expect(result.stderr).toMatch(/^axon evaluate: [^\n]+\n$/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stdout).toBe('');
};

describe('random bytes as model files', () => {
  it('a model.json of random bytes, or a real one with bytes changed, gives one line and exit 1', async () => {
    const real = new Uint8Array(await readFile(path.join(model, 'model.json')));
    const damaged = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .array(fc.tuple(fc.nat(real.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })
        .map((changes) => {
          const copy = real.slice();
          for (const [at, value] of changes) copy[at] = value;
          return copy;
        }),
    );
    for (const bytes of fc.sample(damaged, { numRuns: 6, seed: 11 })) {
      const result = await runAxon(
        ['evaluate', '--model', await withFile('model.json', bytes), '--data-dir', data.dir, '--backend', 'js'],
        { sandbox },
      );
      // A change inside a number or a name can leave a valid model; anything else is one line.
      if (result.status !== 0) expectOneLine(result);
    }
  });

  it('a weights.bin of random bytes gives one line and exit 1', async () => {
    for (const bytes of fc.sample(fc.uint8Array({ maxLength: 5000 }), { numRuns: 3, seed: 12 })) {
      expectOneLine(
        await runAxon(
          ['evaluate', '--model', await withFile('weights.bin', bytes), '--data-dir', data.dir, '--backend', 'js'],
          { sandbox },
        ),
      );
    }
  });
});

describe('leftovers of interrupted saves', () => {
  it('a later run removes the temporary directories of saves whose process died, and keeps others', async () => {
    const out = sandbox.path('out');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const stale = [`out.tmp-${dead}-0123456789ab`, `out.old-${dead}-ba9876543210`];
    for (const name of stale) {
      await mkdir(sandbox.path(name));
      await writeFile(sandbox.path(name, 'weights.bin'), '');
    }
    const running = `out.tmp-${process.pid}-0123456789ab`;
    await mkdir(sandbox.path(running));
    succeeded(
      await runAxon(
        [
          'train',
          '--dataset',
          'idx',
          '--data-dir',
          data.dir,
          '--layers',
          '8',
          '--epochs',
          '1',
          '--backend',
          'js',
          '--out',
          out,
          '--quiet',
        ],
        { sandbox },
      ),
    );
    const names = await readdir(sandbox.root);
    expect(names.filter((name) => name.startsWith('out'))).toEqual(['out', running].sort());
  });
});
