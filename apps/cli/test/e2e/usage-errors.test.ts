// A command line that cannot run exits with status 2 and one line on stderr naming the
// option and what it accepts, before any work: nothing on stdout, no file written.
import { spawn } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axonBin, createSandbox, outcome, runAxon, type Sandbox } from '../support/run-axon.js';

let sandbox: Sandbox;
let cwd: string;

beforeAll(async () => {
  sandbox = await createSandbox('usage');
  cwd = sandbox.path('cwd');
  await mkdir(cwd);
});

afterAll(() => sandbox.remove());

const trainFlags =
  '--dataset, --data-dir, --epochs, --batch-size, --model, --layers, --activation, --dropout, --optimizer, --learning-rate, ' +
  '--lr-schedule, --lr-decay, --warmup-steps, --weight-decay, --clip-norm, --validation-split, --early-stopping, ' +
  '--seed, --limit, --augment, --augment-translation, --augment-rotation, --augment-zoom, --augment-noise, --augment-fill, ' +
  '--max-memory, --backend, --gpu-mode, --threads, --out, --checkpoint-every, --resume, --json, --quiet, --verbose, --help';

/** A command line, and the start and the rest of the one line it must be refused with. */
interface BadCommandLine {
  readonly args: readonly string[];
  /** `axon <command>: <option>`, the part that names what is wrong. */
  readonly names: string;
  /** What is accepted instead. */
  readonly accepts: string;
}

const badCommandLines: readonly BadCommandLine[] = [
  {
    args: ['train', '--bogus'],
    names: "axon train: unknown option '--bogus'",
    accepts: `accepted options: ${trainFlags}`,
  },
  { args: ['train', '--epochs', '0'], names: 'axon train: --epochs:', accepts: 'expected a positive integer, got 0' },
  {
    args: ['train', '--batch-size', '-3'],
    names: 'axon train: --batch-size:',
    accepts: 'expected a positive integer, got -3',
  },
  {
    args: ['train', '--learning-rate', 'abc'],
    names: 'axon train: --learning-rate:',
    accepts: 'expected a positive number, got "abc"',
  },
  {
    args: ['train', '--validation-split', '1.5'],
    names: 'axon train: --validation-split:',
    accepts: 'expected a number from 0 up to (not including) 1, got 1.5',
  },
  {
    args: ['train', '--optimizer', 'nesterov'],
    names: 'axon train: --optimizer:',
    accepts: 'expected one of sgd, momentum, adam, adamw, rmsprop, adagrad, got "nesterov"',
  },
  {
    args: ['train', '--backend', 'tpu'],
    names: 'axon train: --backend:',
    accepts: 'expected one of auto, js, wasm, gpu, got "tpu"',
  },
  { args: ['train', '--epochs'], names: 'axon train: option', accepts: "'--epochs <n>' argument missing" },
  { args: ['train', '--dataset', 'idx'], names: 'axon train: --dataset idx', accepts: 'needs --data-dir DIR' },
  {
    args: ['train', '--early-stopping', '3'],
    names: 'axon train: --early-stopping',
    accepts: 'needs --validation-split F',
  },
  {
    args: ['train', '--early-stopping', 'soon', '--validation-split', '0.1'],
    names: 'axon train: --early-stopping:',
    accepts: 'expected a positive integer, got "soon"',
  },
  {
    args: ['train', '--lr-schedule', 'step'],
    names: 'axon train: --lr-schedule:',
    accepts: 'expected one of constant, exponential, cosine, got "step"',
  },
  {
    args: ['train', '--lr-decay', '0.5'],
    names: 'axon train: --lr-decay',
    accepts: 'applies only with --lr-schedule exponential',
  },
  {
    args: ['train', '--lr-schedule', 'exponential', '--lr-decay', '2'],
    names: 'axon train: --lr-decay:',
    accepts: 'expected a number above 0, at most 1, got 2',
  },
  {
    args: ['train', '--warmup-steps', '1.5'],
    names: 'axon train: --warmup-steps:',
    accepts: 'expected a non-negative integer, got "1.5"',
  },
  {
    args: ['train', '--weight-decay', 'none'],
    names: 'axon train: --weight-decay:',
    accepts: 'expected a non-negative number, got "none"',
  },
  {
    args: ['train', '--clip-norm', '-1'],
    names: 'axon train: --clip-norm:',
    accepts: 'expected a positive number, got -1',
  },
  {
    args: ['train', '--activation', 'swish'],
    names: 'axon train: --activation:',
    accepts: 'expected one of relu, tanh, sigmoid, elu, gelu, softplus, linear, softmax, got "swish"',
  },
  {
    args: ['evaluate', '--model', 'm', '--batch-size', '0'],
    names: 'axon evaluate: --batch-size:',
    accepts: 'expected a positive integer, got 0',
  },
  {
    args: ['train', '--threads', '1000'],
    names: 'axon train: --threads:',
    accepts: `expected at most ${availableParallelism()} (the threads this machine runs at once), got 1000`,
  },
  {
    args: ['evaluate', '--model', 'm', '--threads', '1000'],
    names: 'axon evaluate: --threads:',
    accepts: `expected at most ${availableParallelism()}`,
  },
  {
    args: ['train', '--max-memory', 'lots'],
    names: 'axon train: --max-memory:',
    accepts: 'expected a size such as 512M or 8G, got "lots"',
  },
  // A value pasted by mistake is shortened in the message, not quoted in full.
  {
    args: ['train', `--${'x'.repeat(10_000)}`],
    names: `axon train: unknown option '--${'x'.repeat(37)}…`,
    accepts: "x'; accepted options: --dataset",
  },
  {
    args: ['train', '--epochs', 'x'.repeat(10_000)],
    names: 'axon train: --epochs:',
    accepts: `expected a positive integer, got "${'x'.repeat(58)}…\n`,
  },
  { args: ['evaluate'], names: 'axon evaluate: --model:', accepts: 'missing (expected a path)' },
  {
    args: ['evaluate', '--model', 'm', '--epochs', '2'],
    names: "axon evaluate: unknown option '--epochs'",
    accepts: 'accepted options: --model, ',
  },
  {
    args: ['predict', '--model', 'm'],
    names: 'axon predict:',
    accepts: 'give exactly one of --image FILE and --index N',
  },
  {
    args: ['predict', '--model', 'm', '--index', '-1'],
    names: 'axon predict: --index:',
    accepts: 'expected a non-negative integer, got -1',
  },
  { args: ['trian'], names: "axon: unknown command 'trian'", accepts: '(Did you mean train?)' },
  {
    args: [],
    names: 'axon: missing command;',
    accepts: 'expected one of train, evaluate, predict, explain, export, info, serve',
  },
];

describe.concurrent('a command line that cannot run', () => {
  const cases = badCommandLines.map((line) => ({ ...line, commandLine: ['axon', ...line.args].join(' ') }));
  it.for(cases)(
    '$commandLine exits 2 with one line naming the option and what it accepts',
    async ({ args, names, accepts }, { expect }) => {
      const result = await runAxon(args, { sandbox, cwd });
      expect(result.status, outcome(result)).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^[^\n]+\n$/);
      expect(result.stderr.length).toBeLessThan(1000);
      expect(result.stderr.startsWith(names)).toBe(true);
      expect(result.stderr).toContain(accepts);
      expect(await readdir(cwd)).toEqual([]);
    },
  );
});

describe('a path that is not UTF-8', () => {
  // Node turns such bytes into U+FFFD before axon sees them, so a shell passes the raw
  // bytes here, as a user's shell would.
  it.for([
    ['train', '--out'],
    ['evaluate', '--model'],
  ])('axon %s %s with the byte 0xFF in the path exits 2, saying why', async ([command, option]) => {
    const child = spawn(
      '/bin/sh',
      ['-c', `exec "$0" "$1" "$2" "$3" "$(printf 'model\\377')"`, process.execPath, axonBin, command, option],
      {
        cwd,
        env: { ...process.env, ...sandbox.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let [stdout, stderr] = ['', ''];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status, stderr).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `axon ${command}: ${option}: expected a path in UTF-8 (Node reads other bytes as U+FFFD, so the path would name another file), got "model\uFFFD"\n`,
    );
    expect(await readdir(cwd)).toEqual([]);
  });
});
