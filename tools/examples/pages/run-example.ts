import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { examplePath } from './markdown.js';

const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

/**
 * Runs a TypeScript program with tsx on the workspace's TypeScript sources, as
 * `npm run example` does, and returns what it printed.
 *
 * @example
 * await runTypeScript('/path/to/figures/main.ts', ['--quick']);
 */
export const runTypeScript = async (file: string, args: readonly string[] = []): Promise<string> => {
  const { stdout } = await promisify(execFile)(tsx, ['--conditions=@axon/source', file, ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
};

/**
 * Runs an example file (a path under tools/examples/src) as a user would.
 *
 * @example
 * await runExample('guide/neuron.ts'); // 'one neuron: z = 4.6, …'
 */
export const runExample = (file: string, args: readonly string[] = []): Promise<string> =>
  runTypeScript(examplePath(file), args);
