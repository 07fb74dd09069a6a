#!/usr/bin/env node
// The `axon` command as npm links it. npm links a package's bins while it installs, before
// the workspace's `prepare` script has built dist/, and links no bin whose file is missing:
// so the bin is this committed file. It runs the built command, building it first if it
// is missing (after `npm ci --ignore-scripts`, say), so `npx axon` works right after install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
const workspace = new URL('../../../', import.meta.url);

const fail = (message) => {
  process.stderr.write(`axon: ${message}\n`);
  process.exit(1);
};

const build = () => {
  if (!existsSync(new URL('nx.json', workspace)))
    fail(`${fileURLToPath(main)} is missing: this copy of @axon/cli was never built`);
  let nx;
  try {
    nx = createRequire(new URL('package.json', workspace)).resolve('nx/bin/nx.js');
  } catch {
    fail(`${fileURLToPath(main)} is missing and Nx is not installed to build it: run npm install first`);
  }
  process.stderr.write('axon: building the command first (npx nx run @axon/cli:build)\n');
  // The build's output goes to stderr, so that what axon prints on stdout stays clean.
  const built = spawnSync(process.execPath, [nx, 'run', '@axon/cli:build', '--output-style=static'], {
    cwd: fileURLToPath(workspace),
    stdio: ['ignore', 2, 2],
    env: { NX_DAEMON: 'false', ...process.env },
  });
  if (built.status !== 0 || !existsSync(main))
    fail('the build failed (see above); fix it, or run npx nx run @axon/cli:build');
};

if (!existsSync(main)) build();
await import(main.href);
