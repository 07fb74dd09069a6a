/*
 * Runs a command once per gpu.js mode this package is tested in, with AXON_GPU_MODE
 * naming the mode: `webasm` (WebAssembly on the CPU; works anywhere), then `headlessgl`
 * (WebGL through headless-gl, which needs an X display: without one the command runs
 * under `xvfb-run -a`, where Mesa's llvmpipe renders in software).
 *
 * Usage: tsx scripts/edge/each-mode.ts vitest run
 *
 * When the headlessgl run cannot happen (headless-gl was not built, or there is no
 * display and no xvfb-run), it says so plainly: under CI (CI=true) that is an error,
 * elsewhere the run passes with the message, so it is never skipped silently.
 */
import { spawnSync } from 'node:child_process';
import { headlessGlLoadError } from '../../src/edge/explain-unavailable.js';
import { headlessGlPlan } from '../headlessgl-plan.js';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: tsx scripts/edge/each-mode.ts <command> [args...]');
  process.exit(2);
}

const run = (mode: string, argv: readonly string[]): number => {
  console.log(`\n── gpu.js mode: ${mode} ── ${argv.join(' ')}`);
  const result = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env: { ...process.env, AXON_GPU_MODE: mode } });
  if (result.error) throw result.error;
  return result.status ?? 1;
};

const status = run('webasm', command);
if (status !== 0) process.exit(status);

const plan = headlessGlPlan({
  ci: process.env['CI'] === 'true',
  hasDisplay: (process.env['DISPLAY'] ?? '') !== '',
  hasXvfbRun: spawnSync('xvfb-run', ['--help'], { stdio: 'ignore' }).error === undefined,
  glLoadError: headlessGlLoadError(),
});
const headlessGlStatus = (): number => {
  switch (plan.run) {
    case 'direct':
      return run('headlessgl', command);
    case 'xvfb-run':
      return run('headlessgl', ['xvfb-run', '-a', ...command]);
    case 'none':
      console.error(`\n${plan.fail ? 'ERROR' : 'WARNING'}: ${plan.message}`);
      return plan.fail ? 1 : 0;
  }
};
process.exit(headlessGlStatus());
