import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { defaultHandlers, type Handlers, runCli } from './cli.js';
import type { CommandIo } from './commands/command-io.js';
import { readAxonVersion } from './edge/version.js';
import { commandLine } from '../test/support/option-strings.js';
import { recorder } from '../test/support/recorder.js';

function fakeIo(): { io: CommandIo; out: () => string; err: () => string } {
  const [stdout, stderr] = [recorder(false), recorder(false)];
  return {
    io: {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: {},
      clock: () => 0,
      version: '0.0.7',
      machine: { cores: 4, memoryBytes: 2 ** 33 },
    },
    out: stdout.text,
    err: stderr.text,
  };
}

const throwing: Handlers = {
  ...defaultHandlers,
  info: async () => {
    throw new Error('boom\nsecond line');
  },
};

describe('runCli', () => {
  it('exits 2 with one line on stderr for a command line that cannot run, before any work', async () => {
    const { io, out, err } = fakeIo();
    let ran = false;
    const spy: Handlers = { ...defaultHandlers, train: async () => ((ran = true), E.right(undefined)) };
    expect(await runCli(['train', '--epochs', '0'], io, spy)).toBe(2);
    expect(err()).toBe('axon train: --epochs: expected a positive integer, got 0\n');
    expect(out()).toBe('');
    expect(ran).toBe(false);
  });

  it('prints help and the version on stdout and exits 0', async () => {
    const { io, out } = fakeIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(out()).toBe('0.0.7\n');
  });

  it('runs info', async () => {
    const { io, out } = fakeIo();
    expect(await runCli(['info'], io)).toBe(0);
    expect(out()).toMatch(/^axon 0\.0\.7 \(Node v/);
  });

  it('exits 1 with one line when a command fails', async () => {
    const { io, err } = fakeIo();
    expect(await runCli(['train', '--dataset', 'idx', '--data-dir', '/nonexistent/axon-data'], io)).toBe(1);
    expect(err()).toBe('axon train: --data-dir /nonexistent/axon-data: no such directory\n');
  });

  it('turns an unexpected error into one line, with the stack only under --verbose', async () => {
    const quiet = fakeIo();
    expect(await runCli(['info'], quiet.io, throwing)).toBe(1);
    expect(quiet.err()).toBe('axon info: boom\n');
    const verbose = fakeIo();
    expect(await runCli(['info', '--verbose'], verbose.io, throwing)).toBe(1);
    expect(verbose.err()).toMatch(/^axon info: boom\nError: boom\nsecond line\n {4}at /);
  });
});

describe('runCli on random option strings', () => {
  it('runs one command, prints help, or exits 2 with one line; it never throws', async () => {
    await fc.assert(
      fc.asyncProperty(commandLine({ dataDir: 'data', model: 'model' }), async (argv) => {
        const { io, out, err } = fakeIo();
        const ran: string[] = [];
        const record = (name: string) => async () => (ran.push(name), E.right(undefined));
        const spies: Handlers = {
          train: record('train'),
          evaluate: record('evaluate'),
          predict: record('predict'),
          explain: record('explain'),
          info: record('info'),
          export: record('export'),
          serve: record('serve'),
        };
        const status = await runCli(argv, io, spies);
        if (status === 2) {
          expect(err()).toMatch(/^axon[^\n]*\n$/);
          expect(err().length).toBeLessThan(1000);
          expect([ran, out()]).toEqual([[], '']);
        } else {
          expect(status).toBe(0);
          expect(err()).toBe('');
          // Help or the version on stdout, or else the command, run once.
          expect(ran.length + (out() === '' ? 0 : 1)).toBe(1);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('readAxonVersion', () => {
  it('reads the version of @axon/cli', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(readAxonVersion()).toEqual(E.right(version));
  });
});
