// The README's promise: on a fresh clone, with no network and nothing cached, `npm install`,
// `npx axon --help` and `npm start` work. One clone and one install serve every test here;
// each command runs cut off from the network (see Isolation), as a newcomer without one
// would run it, with an empty home and cache (npm installs from its own package cache).
import { existsSync, readlinkSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chooseIsolation,
  freshClone,
  inClone,
  succeeded,
  temporaryRoot,
  type FreshClone,
  type Finished,
} from './support/fresh-clone.js';

const isolation = chooseIsolation();
let root: string | undefined;
let clone: FreshClone;
let install: Finished;

beforeAll(async () => {
  root = await temporaryRoot();
  clone = await freshClone(root, isolation);
  install = await inClone(clone, 'npm', ['install'], { env: clone.installEnv, timeoutMs: 20 * 60_000 });
  console.log(
    `first run of ${clone.commit.slice(0, 12)} (no network: ${isolation}): npm install took ${install.seconds.toFixed(0)} s`,
  );
});

afterAll(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

describe(`a fresh clone, no network (${isolation}), an empty cache`, () => {
  it('installs with npm install, which builds the workspace, links the axon command and leaves the clone as committed', async () => {
    succeeded(install);
    expect(readlinkSync(join(clone.dir, 'node_modules', '.bin', 'axon'))).toBe('../@axon/cli/bin/axon.js');
    expect(existsSync(join(clone.dir, 'apps', 'cli', 'dist', 'main.js'))).toBe(true);
    expect(succeeded(await inClone(clone, 'git', ['status', '--porcelain'])).stdout).toBe('');
  });

  it('runs npx axon --help right after the install', async () => {
    const help = succeeded(await inClone(clone, 'npx', ['axon', '--help']));
    expect(help.stdout).toMatch(/^Usage: axon /);
    expect(help.stdout).toMatch(/^ {2}train \[options\]/m);
    expect(help.stderr).toBe('');
  });

  it('trains with npm start on the bundled MNIST, downloading nothing and caching nothing', async () => {
    const out = join(clone.root, 'model');
    const run = succeeded(
      await inClone(clone, 'npm', ['start', '--', '--epochs', '1', '--limit', '2000', '--seed', '1', '--out', out]),
    );
    console.log(`npm start (1 epoch, 2,000 samples, then the 10,000 test images) took ${run.seconds.toFixed(1)} s`);
    const lines = run.stdout.split('\n');
    expect(lines.find((line) => line.startsWith('Training on mnist'))).toMatch(/^Training on mnist: 2,000 samples,/);
    expect(lines.find((line) => line.startsWith('test accuracy'))).toMatch(
      /^test accuracy \d+\.\d\d% .* model written to /,
    );
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/download/i);
    expect((await readdir(out)).sort()).toEqual(expect.arrayContaining(['model.json', 'weights.bin']));
    expect(JSON.parse(await readFile(join(out, 'model.json'), 'utf8'))).toHaveProperty('modelTopology');
    expect(existsSync(join(clone.home, '.cache', 'axon'))).toBe(false);
  });

  it('builds the command first when it was never built (npm ci --ignore-scripts, a git clean)', async () => {
    await rm(join(clone.dir, 'apps', 'cli', 'dist'), { recursive: true });
    const version = succeeded(await inClone(clone, 'npx', ['axon', '--version']));
    const { version: expected } = JSON.parse(
      await readFile(join(clone.dir, 'apps', 'cli', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(version.stdout).toBe(`${expected}\n`);
    expect(version.stderr).toMatch(/^axon: building the command first/);
    expect(existsSync(join(clone.dir, 'apps', 'cli', 'dist', 'main.js'))).toBe(true);
  });
});
