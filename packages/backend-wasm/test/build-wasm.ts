import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Vitest global setup: compiles the kernels module and the worker script into `dist/`. */
export default function setup(): void {
  execFileSync('npm', ['run', 'build:wasm', '--silent'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'inherit',
  });
}
