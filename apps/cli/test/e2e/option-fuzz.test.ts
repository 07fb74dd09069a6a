// Random command lines through the built `axon`: whatever the options, it ends with
// status 0, 1 or 2; a failure is one line on stderr and never a stack trace; and it
// writes nothing but its --out (or --confusion-svg) in its working directory, and
// nothing anywhere else.
import { mkdir, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedOutputs, commandLine, type FuzzTargets, withSafeguards } from '../support/option-strings.js';
import { createSandbox, outcome, runAxon, type Sandbox, setupTimeoutMs, succeeded } from '../support/run-axon.js';
import { writeSyntheticIdx } from '../support/synthetic-idx.js';

let sandbox: Sandbox;
let targets: FuzzTargets;

beforeAll(async () => {
  sandbox = await createSandbox('fuzz');
  const data = await writeSyntheticIdx(sandbox.path('data'), { seed: 71, classes: 3, trainCount: 64, testCount: 8 });
  const model = sandbox.path('model');
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
        '4',
        '--backend',
        'js',
        '--out',
        model,
        '--quiet',
      ],
      { sandbox },
    ),
  );
  targets = { dataDir: data.dir, model };
}, setupTimeoutMs);

afterAll(() => sandbox.remove());

/** Every path under `dir`, relative to it, with its modification time: what a run may not change. */
async function snapshot(dir: string): Promise<Map<string, number>> {
  const entries = await readdir(dir, { recursive: true });
  return new Map(
    await Promise.all(entries.map(async (entry) => [entry, (await stat(path.join(dir, entry))).mtimeMs] as const)),
  );
}

let runs = 0;

describe('random option strings', () => {
  it('end with status 0, 1 or 2, one line and no stack on failure, and no write outside --out', async () => {
    const fixtures = await snapshot(sandbox.root);
    await fc.assert(
      fc.asyncProperty(commandLine(targets), async (generated) => {
        // A server runs until it is stopped; test/e2e/serve.test.ts covers `axon serve`.
        fc.pre(generated[0] !== 'serve');
        const args = withSafeguards(generated, targets);
        const cwd = sandbox.path('runs', String(runs++));
        await mkdir(cwd, { recursive: true });
        const result = await runAxon(args, { sandbox, cwd });
        expect([0, 1, 2], outcome(result)).toContain(result.status);
        expect(result.stderr).not.toMatch(/^\s+at /m);
        if (result.status !== 0) expect(result.stderr, outcome(result)).toMatch(/^axon[^\n]*\n$/);
        else expect(result.stderr, outcome(result)).toBe('');
        const allowed = allowedOutputs(args);
        const written = (await readdir(cwd)).filter((name) => !allowed.has(name));
        expect(written, outcome(result)).toEqual([]);
      }),
      // Each run starts a Node process: a few seconds on a busy machine.
      { numRuns: 16, interruptAfterTimeLimit: 240_000 },
    );
    // Nothing changed outside the runs' own directories: not the data, the model or the home directory.
    const after = await snapshot(sandbox.root);
    const changed = [...after]
      .filter(([entry, mtime]) => !entry.startsWith('runs') && fixtures.get(entry) !== mtime)
      .map(([entry]) => entry);
    const removed = [...fixtures.keys()].filter((entry) => !after.has(entry));
    expect({ changed, removed }).toEqual({ changed: [], removed: [] });
  }, 300_000);
});
