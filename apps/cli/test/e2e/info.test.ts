// `axon info`, `--version` and `--help`: what a user runs first.
import { readFile } from 'node:fs/promises';
import * as t from 'io-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendName } from '../../src/training/vocabulary.js';
import { closedRecord, decodeLine } from '../support/json-lines.js';
import { createSandbox, linesOf, runAxon, type Sandbox, succeeded } from '../support/run-axon.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await createSandbox('info');
});

afterAll(() => sandbox.remove());

const packageVersion = async (): Promise<string> =>
  (JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const InfoJson = closedRecord('an info report', {
  version: t.string,
  node: t.string,
  platform: t.string,
  arch: t.string,
  backends: t.array(
    closedRecord('a backend status', {
      name: BackendName,
      available: t.boolean,
      automatic: t.boolean,
      detail: t.string,
    }),
  ),
  chosen: t.union([closedRecord('a backend choice', { name: BackendName, reason: t.string }), t.null]),
});

describe('axon info --json', () => {
  it('prints one JSON object listing every backend, whether it runs here, and one that auto chooses among those that do', async () => {
    const { stdout } = succeeded(await runAxon(['info', '--json'], { sandbox }));
    expect(linesOf(stdout)).toHaveLength(1);
    const report = decodeLine(InfoJson, stdout);
    expect(report).toMatchObject({
      version: await packageVersion(),
      node: process.version,
      platform: process.platform,
      arch: process.arch,
    });
    expect(report.backends.map((backend) => backend.name).sort()).toEqual(['gpu', 'js', 'wasm']);
    expect(report.backends.find((backend) => backend.name === 'js')?.available).toBe(true);
    const chosen = report.backends.find((backend) => backend.name === report.chosen?.name);
    expect(chosen).toMatchObject({ available: true, automatic: true });
  });

  it('says the same for people', async () => {
    const [json, text] = await Promise.all([runAxon(['info', '--json'], { sandbox }), runAxon(['info'], { sandbox })]);
    const report = decodeLine(InfoJson, succeeded(json).stdout);
    const lines = linesOf(succeeded(text).stdout);
    expect(lines[0]).toBe(`axon ${report.version} (Node ${report.node}, ${report.platform} ${report.arch})`);
    for (const backend of report.backends) {
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^  ${backend.name} +${backend.available ? 'available' : 'unavailable'} `)),
      );
    }
    expect(lines.at(-1)).toBe(
      `--backend auto chooses: ${report.chosen === null ? 'none can run here' : `${report.chosen.name} (${report.chosen.reason})`}`,
    );
  });
});

describe('axon --version and --help', () => {
  it('print the package version and the commands, exiting 0', async () => {
    const [version, help] = await Promise.all([runAxon(['--version'], { sandbox }), runAxon(['--help'], { sandbox })]);
    expect(succeeded(version).stdout).toBe(`${await packageVersion()}\n`);
    for (const command of ['train', 'evaluate', 'predict', 'info'])
      expect(succeeded(help).stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(version.stderr + help.stderr).toBe('');
  });
});
