#!/usr/bin/env node
/*
 * Runs a command once per gpu.js mode this package is tested in, with AXON_GPU_MODE
 * naming the mode: `webasm` (WebAssembly on the CPU; works anywhere), then `headlessgl`
 * (WebGL through headless-gl, which needs an X display: without one the command runs
 * under `xvfb-run -a`, where Mesa's llvmpipe renders in software).
 *
 * Usage: node scripts/each-mode.mjs vitest run
 *
 * Without an X display or xvfb-run the headlessgl run cannot happen: under CI (CI=true)
 * that is an error, elsewhere a warning, so it is never skipped silently.
 */
import { spawnSync } from 'node:child_process';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node scripts/each-mode.mjs <command> [args...]');
  process.exit(2);
}

const run = (mode, argv) => {
  console.log(`\n── gpu.js mode: ${mode} ── ${argv.join(' ')}`);
  const result = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env: { ...process.env, AXON_GPU_MODE: mode } });
  if (result.error) throw result.error;
  return result.status ?? 1;
};

const status = run('webasm', command);
if (status !== 0) process.exit(status);

const hasDisplay = (process.env.DISPLAY ?? '') !== '';
const hasXvfbRun = spawnSync('xvfb-run', ['--help'], { stdio: 'ignore' }).error === undefined;
if (hasDisplay) process.exit(run('headlessgl', command));
if (hasXvfbRun) process.exit(run('headlessgl', ['xvfb-run', '-a', ...command]));

const message = 'headlessgl mode NOT run: there is no X display (DISPLAY is unset) and xvfb-run is not installed (Debian: apt-get install xvfb xauth)';
if (process.env.CI === 'true') {
  console.error(`ERROR: ${message}`);
  process.exit(1);
}
console.warn(`WARNING: ${message}`);
