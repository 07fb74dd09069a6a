import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// End-to-end tests run the built `axon` as people do: a child process with arguments,
// an environment and a working directory, observed through its exit status, stdout,
// stderr and the files it leaves.

/** The built `axon` bin; `npm test` builds it first (the test target depends on build). */
export const axonBin = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** The repository root, for paths such as the shared data directory. */
export const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Long enough for a small training run on a busy 2-core machine, short enough to fail a hung test. */
const defaultTimeoutMs = 45_000;

/** For `beforeAll` hooks that train (vitest allows hooks 10 s by default). */
export const setupTimeoutMs = 60_000;

/**
 * A temporary directory for one test file, and an environment for `axon` in which no
 * data set but the bundled MNIST can be found outside `--data-dir` and nothing can be
 * downloaded into the user's cache: `AXON_DATA_DIR`, `XDG_CACHE_HOME` and `HOME` point
 * inside it.
 */
export interface Sandbox {
  readonly root: string;
  readonly env: Readonly<Record<string, string>>;
  /** A path inside the sandbox. */
  readonly path: (...parts: string[]) => string;
  readonly remove: () => Promise<void>;
}

/**
 * Creates a {@link Sandbox} under the system's temporary directory.
 *
 * @example
 * const sandbox = await createSandbox('train');
 * afterAll(() => sandbox.remove());
 */
export async function createSandbox(name: string): Promise<Sandbox> {
  const root = await mkdtemp(path.join(tmpdir(), `axon-e2e-${name}-`));
  const home = path.join(root, 'home');
  await mkdir(home);
  return {
    root,
    env: { AXON_DATA_DIR: path.join(home, 'data'), XDG_CACHE_HOME: path.join(home, 'cache'), HOME: home },
    path: (...parts) => path.join(root, ...parts),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** How one `axon` process ended and what it printed. */
export interface AxonResult {
  readonly args: readonly string[];
  /** The exit status, or null when a signal (such as the timeout's) ended it. */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and how long `axon` runs. */
export interface RunOptions {
  readonly sandbox: Sandbox;
  /** Default: the sandbox root. */
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

function checkBuilt(): void {
  if (!existsSync(axonBin)) throw new Error(`${axonBin} is missing: build first (npx nx run @axon/cli:build)`);
}

/**
 * Starts `axon` with `args` in the sandbox, its stdout and stderr piped (so not a
 * terminal: progress comes as plain lines), killed after the timeout.
 *
 * @example
 * const child = spawnAxon(['train', '--epochs', '50', …], { sandbox });
 */
export function spawnAxon(
  args: readonly string[],
  { sandbox, cwd, timeoutMs = defaultTimeoutMs }: RunOptions,
): ChildProcessWithoutNullStreams {
  checkBuilt();
  return spawn(process.execPath, [axonBin, ...args], {
    cwd: cwd ?? sandbox.root,
    env: { ...process.env, ...sandbox.env },
    timeout: timeoutMs,
    stdio: 'pipe',
  });
}

/**
 * Collects a started process's output until it exits.
 *
 * @example
 * const result = await finished(spawnAxon(['info'], { sandbox }), ['info']);
 */
export function finished(child: ChildProcessWithoutNullStreams, args: readonly string[]): Promise<AxonResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ args, status, signal, stdout, stderr }));
  });
}

/**
 * Runs `axon` with `args` to the end.
 *
 * @example
 * const { status, stderr } = await runAxon(['train', '--epochs', '0'], { sandbox });
 */
export function runAxon(args: readonly string[], options: RunOptions): Promise<AxonResult> {
  return finished(spawnAxon(args, options), args);
}

/**
 * How a run ended and what it said on stderr, for assertion messages.
 *
 * @example
 * expect(result.status, outcome(result)).toBe(130);
 */
export function outcome(result: AxonResult): string {
  const ending =
    result.status === null ? `was killed by ${result.signal} (on timeout?)` : `exited with ${result.status}`;
  return `axon ${result.args.join(' ')} ${ending}:\n${result.stderr}`;
}

/**
 * The result of a run that must succeed; a failure throws with the command line and
 * what it printed on stderr, so the test report says why.
 *
 * @example
 * const { stdout } = succeeded(await runAxon(['info', '--json'], { sandbox }));
 */
export function succeeded(result: AxonResult): AxonResult {
  if (result.status !== 0) throw new Error(outcome(result));
  return result;
}

/**
 * The lines a run printed on one stream, without the final line break.
 *
 * @example
 * linesOf('a\nb\n'); // ['a', 'b']
 */
export const linesOf = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/**
 * Resolves with the first line of a started process's stdout that matches `pattern`;
 * rejects if the process ends first.
 *
 * @example
 * const child = spawnAxon(args, { sandbox });
 * const result = finished(child, args);
 * await firstLine(child, /^epoch 1\//);
 * child.kill('SIGINT');
 */
export function firstLine(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let pending = '';
    const onData = (chunk: Buffer | string): void => {
      pending += String(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const match = lines.find((line) => pattern.test(line));
      if (match === undefined) return;
      child.stdout.off('data', onData);
      child.off('close', onClose);
      resolve(match);
    };
    const onClose = (status: number | null): void =>
      reject(new Error(`axon ended (status ${status}) before printing a line matching ${pattern}`));
    child.stdout.on('data', onData);
    child.on('close', onClose);
  });
}
