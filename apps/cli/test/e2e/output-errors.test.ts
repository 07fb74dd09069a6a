// When stdout fails, axon neither crashes with a stack trace nor loses its work: a
// reader that closes the pipe early (`axon train | head -1`) ends the output quietly
// after the model is saved, and any other write error (a full disk: /dev/full) is one
// line on stderr and status 1.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axonBin,
  createSandbox,
  finished,
  firstLine,
  outcome,
  type Sandbox,
  spawnAxon,
  type AxonResult,
} from '../support/run-axon.js';
import { type SyntheticIdx, writeSyntheticIdx } from '../support/synthetic-idx.js';

let sandbox: Sandbox;
let data: SyntheticIdx;

beforeAll(async () => {
  sandbox = await createSandbox('output-errors');
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 61, classes: 3 });
});

afterAll(() => sandbox.remove());

const smallTraining = (out: string, epochs: number): string[] => [
  'train',
  '--dataset',
  'idx',
  '--data-dir',
  data.dir,
  '--epochs',
  String(epochs),
  '--layers',
  '8',
  '--seed',
  '1',
  '--backend',
  'js',
  '--out',
  out,
];

/** Runs axon with its stdout on /dev/full, where every write fails with ENOSPC. */
async function withStdoutOnDevFull(args: readonly string[]): Promise<AxonResult> {
  const full = await open('/dev/full', 'w');
  try {
    const child = spawn(process.execPath, [axonBin, ...args], {
      cwd: sandbox.root,
      env: { ...process.env, ...sandbox.env },
      stdio: ['ignore', full.fd, 'pipe'],
      timeout: 45_000,
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return await new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (status, signal) => resolve({ args, status, signal, stdout: '', stderr }));
    });
  } finally {
    await full.close();
  }
}

const files = (dir: string): Promise<string[]> => readdir(dir).then((names) => names.sort());
const modelFiles = ['checkpoint.bin', 'checkpoint.json', 'history.json', 'model.json', 'training.svg', 'weights.bin'];

describe('a reader that closes the pipe early', () => {
  it('ends axon train quietly, with status 0, once the model is saved', async () => {
    const out = sandbox.path('piped-model');
    const args = smallTraining(out, 4);
    const child = spawnAxon(args, { sandbox });
    const result = finished(child, args);
    await firstLine(child, /^Training on idx/);
    // As `head -1` does once it has its line: every later write meets a closed pipe.
    child.stdout.destroy();
    const { status, stderr } = await result;
    expect(status, stderr).toBe(0);
    expect(stderr).toBe('');
    expect(await files(out)).toEqual(modelFiles);
    expect((await readdir(sandbox.root)).filter((name) => /\.(tmp|old)-/.test(name))).toEqual([]);
  });
});

describe.skipIf(!existsSync('/dev/full'))('a standard output that cannot be written (/dev/full)', () => {
  it('makes axon info print one line on stderr and exit 1, with or without --verbose', async () => {
    for (const args of [['info'], ['info', '--json', '--verbose'], ['--help']]) {
      const result = await withStdoutOnDevFull(args);
      expect(result.status, outcome(result)).toBe(1);
      expect(result.stderr).toBe('axon: cannot write to standard output: no space left on device\n');
    }
  });

  it('makes axon train say so in one line and exit 1, after saving the model', async () => {
    const out = sandbox.path('full-model');
    const result = await withStdoutOnDevFull(smallTraining(out, 1));
    expect(result.status, outcome(result)).toBe(1);
    expect(result.stderr).toBe('axon: cannot write to standard output: no space left on device\n');
    expect(await files(out)).toEqual(modelFiles);
  });
});
