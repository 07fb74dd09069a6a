// Ctrl-C (SIGINT) during training stops after the current batch: exit status 130, one
// line on stderr, and the run as of its last finished epoch written atomically to --out
// (a model with its checkpoint, which --resume continues), no temporary one beside it.
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingEvents } from '../support/json-lines.js';
import { createSandbox, finished, firstLine, outcome, runAxon, type Sandbox, spawnAxon, succeeded } from '../support/run-axon.js';
import { type SyntheticIdx, writeSyntheticIdx } from '../support/synthetic-idx.js';

let sandbox: Sandbox;
let data: SyntheticIdx;

beforeAll(async () => {
  sandbox = await createSandbox('interrupt');
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 51, classes: 3 });
});

afterAll(() => sandbox.remove());

/** Far more epochs than the test waits for: only Ctrl-C (or the timeout) ends the run. */
const longTraining = (out: string, ...more: string[]): string[] => ['train', '--dataset', 'idx', '--data-dir', data.dir, '--epochs', '100000', '--seed', '1', '--out', out, ...more];

/** Starts `args`, waits for a line matching `pattern` on stdout, then presses Ctrl-C. */
async function interruptAfter(args: readonly string[], pattern: RegExp) {
  // Long enough to reach the first epoch on a busy machine; a run that ignores Ctrl-C fails here, not at the test timeout.
  const child = spawnAxon(args, { sandbox, timeoutMs: 20_000 });
  const result = finished(child, args);
  await firstLine(child, pattern);
  child.kill('SIGINT');
  return result;
}

/** The names in the sandbox that an atomic save leaves while it works. */
const temporaryNames = async (): Promise<string[]> => (await readdir(sandbox.root)).filter((name) => /\.(tmp|old)-/.test(name));

/** Every file of a directory, by name. */
const contentsOf = async (dir: string): Promise<Record<string, Buffer>> => {
  const names = (await readdir(dir)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(path.join(dir, name))] as const)));
};

/** The line Ctrl-C ends a run with, naming the directory that now holds it. */
const interruptedMessage = (out: string): RegExp =>
  new RegExp(`^axon train: interrupted after [1-9]\\d* steps; ${out.replace(/[.*+?^\${}()|[\]\\]/g, '\\$&')} holds the run after epoch \\d+ of 100000 \\(axon train --resume \\S+ continues it\\)\\n$`);

describe('Ctrl-C during axon train', () => {
  it('exits 130 after the current batch, with a message on stderr, and writes the run as of its last finished epoch', async () => {
    const result = await interruptAfter(longTraining('model', '--backend', 'js'), /^epoch +1\/100000 /);
    expect(result.status, outcome(result)).toBe(130);
    expect(result.stderr).toMatch(interruptedMessage('model'));
    expect(result.stdout).not.toMatch(/model written to/);
    expect((await readdir(sandbox.path('model'))).sort()).toEqual(['checkpoint.bin', 'checkpoint.json', 'history.json', 'model.json', 'training.svg', 'weights.bin']);
    expect(await temporaryNames()).toEqual([]);
  });

  it('replaces a model already at --out only with the complete new one, and ends --json output with an error event (wasm backend)', async () => {
    const kept = sandbox.path('kept');
    succeeded(await runAxon(['train', '--dataset', 'idx', '--data-dir', data.dir, '--epochs', '1', '--layers', '8', '--backend', 'js', '--out', kept, '--quiet'], { sandbox }));
    const before = await contentsOf(kept);

    const result = await interruptAfter(longTraining(kept, '--backend', 'wasm', '--json'), /^\{"event":"epoch"/);
    expect(result.status, outcome(result)).toBe(130);
    expect(result.stderr).toMatch(interruptedMessage(kept));
    const events = trainingEvents(result.stdout);
    expect(events.map((event) => event.event)).toEqual(['start', ...events.slice(1, -1).map(() => 'epoch'), 'error']);
    expect(events.at(-1)).toEqual({ event: 'error', message: result.stderr.trimEnd() });
    const after = await contentsOf(kept);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after['weights.bin'].equals(before['weights.bin'])).toBe(false);
    expect(await temporaryNames()).toEqual([]);
  });
});
