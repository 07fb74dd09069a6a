import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository this test belongs to. */
export const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * How the runs below are cut off from the network: a network namespace of their own
 * (`unshare -n`, which needs root or user namespaces; then nothing but a down loopback
 * exists, so no program of any kind can reach anything), else a preload that makes
 * every Node.js process refuse connections that would leave the machine.
 */
export type Isolation = 'network namespace' | 'Node.js preload';

/**
 * `unshare -n` when it works here, else the preload.
 *
 * @example
 * chooseIsolation(); // 'network namespace' as root on Linux
 */
export function chooseIsolation(): Isolation {
  try {
    execFileSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
    return 'network namespace';
  } catch {
    return 'Node.js preload';
  }
}

/** The commit to clone: HEAD of this checkout, as a fresh clone of it gets it. */
export const headCommit = (): string =>
  execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repositoryRoot, encoding: 'utf8' }).trim();

/**
 * headless-gl (`gl`, gpu.js's optional native dependency) compiles ANGLE from source at
 * install when no prebuilt binary can be downloaded, as here: minutes of CI's two cores,
 * spent already by the checkout's own install. When that build exists, it is packed as a
 * local prebuild, which gl's installer (prebuild-install) takes instead of compiling
 * again; the variable to set for that is returned. Without it the clone compiles gl itself.
 */
function reuseHeadlessGlBuild(root: string): Record<string, string> {
  const gl = join(repositoryRoot, 'node_modules', 'gl');
  if (!existsSync(join(gl, 'build', 'Release', 'webgl.node'))) return {};
  const { version } = JSON.parse(readFileSync(join(gl, 'package.json'), 'utf8')) as { version: string };
  const prebuilds = join(root, 'prebuilds');
  mkdirSync(prebuilds);
  const tarball = join(
    prebuilds,
    `gl-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`,
  );
  execFileSync('tar', ['-czf', tarball, '-C', gl, 'build/Release/webgl.node']);
  return { npm_config_gl_local_prebuilds: prebuilds };
}

/** A fresh clone of this checkout's HEAD, and an empty home for the newcomer who runs it. */
export interface FreshClone {
  /** The commit cloned. */
  readonly commit: string;
  readonly root: string;
  readonly dir: string;
  readonly home: string;
  readonly isolation: Isolation;
  /** The environment of a newcomer's shell: an empty home and cache, no AXON_DATA_DIR, npm offline. */
  readonly env: Readonly<Record<string, string>>;
  /** For the install: `env`, plus where gl's installer finds the checkout's build of gl, if any. */
  readonly installEnv: Readonly<Record<string, string>>;
}

/**
 * A new temporary directory for one clone and its home.
 *
 * @example
 * const root = await temporaryRoot();
 */
export const temporaryRoot = (): Promise<string> => mkdtemp(join(tmpdir(), 'axon-first-run-'));

/**
 * Clones HEAD into `root` (with its own `.git`, nothing ignored by git carried over: no
 * node_modules, no builds, no caches).
 *
 * @example
 * const clone = await freshClone(await temporaryRoot(), chooseIsolation());
 */
export async function freshClone(root: string, isolation: Isolation): Promise<FreshClone> {
  const dir = join(root, 'axon');
  const home = join(root, 'home');
  await mkdir(home);
  const head = headCommit();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  git('clone', '--quiet', '--no-checkout', '--no-hardlinks', repositoryRoot, dir);
  // HEAD may be on no branch (a detached CI checkout): fetch exactly it.
  git('-C', dir, 'fetch', '--quiet', repositoryRoot, head);
  git('-C', dir, 'checkout', '--quiet', '--detach', head);
  // npm's own package cache stays (installing needs it with no network); axon's caches start empty.
  const npmCache = execFileSync('npm', ['config', 'get', 'cache'], { cwd: root, encoding: 'utf8' }).trim();
  // No bin folder of this checkout: `npx axon` must find the clone's own.
  const path = (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter((entry) => !entry.split(sep).includes('node_modules'))
    .join(delimiter);
  const preload = pathToFileURL(fileURLToPath(new URL('./no-network.mjs', import.meta.url))).href;
  const env: Record<string, string> = {
    PATH: path,
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    LANG: 'C.UTF-8',
    ...(process.env['CI'] === undefined ? {} : { CI: process.env['CI'] }),
    ...(process.env['TMPDIR'] === undefined ? {} : { TMPDIR: process.env['TMPDIR'] }),
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    npm_config_cache: npmCache,
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    ...(isolation === 'Node.js preload' ? { NODE_OPTIONS: `--import=${preload}` } : {}),
  };
  // Only for the install: npm warns about a configuration key it does not know.
  return { commit: head, root, dir, home, isolation, env, installEnv: { ...env, ...reuseHeadlessGlBuild(root) } };
}

/** How a command ended, what it printed, and how long it took. */
export interface Finished {
  readonly command: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** How long a command may take, and its environment when not the newcomer's `env`. */
export interface InCloneOptions {
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs a command in the clone as the newcomer, with no network.
 *
 * @example
 * const { status, stdout } = await inClone(clone, 'npx', ['axon', '--help']);
 */
export function inClone(
  clone: FreshClone,
  command: string,
  args: readonly string[],
  options: InCloneOptions = {},
): Promise<Finished> {
  const { timeoutMs = 5 * 60_000, env = clone.env } = options;
  const argv = clone.isolation === 'network namespace' ? ['unshare', '-n', command, ...args] : [command, ...args];
  const started = performance.now();
  const child = spawn(argv[0], argv.slice(1), {
    cwd: clone.dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({
        command: [command, ...args].join(' '),
        status,
        stdout,
        stderr,
        seconds: (performance.now() - started) / 1000,
      }),
    );
  });
}

/**
 * The result of a command that must succeed; otherwise throws with what it printed.
 *
 * @example
 * succeeded(await inClone(clone, 'npm', ['install']));
 */
export function succeeded(result: Finished): Finished {
  if (result.status !== 0) {
    const tail = (text: string) => text.split('\n').slice(-40).join('\n');
    throw new Error(
      `${result.command} exited with ${result.status} after ${result.seconds.toFixed(0)} s:\n${tail(result.stdout)}\n${tail(result.stderr)}`,
    );
  }
  return result;
}
