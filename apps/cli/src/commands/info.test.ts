import { recorder } from '../../test/support/recorder.js';
import { describe, expect, it } from 'vitest';
import type { BackendStatus } from '../backends/backend-status.js';
import { infoReport, infoText, runInfo } from './info.js';

const runtime = { node: 'v20.19.0', platform: 'linux', arch: 'x64' };
const js: BackendStatus = { name: 'js', available: true, automatic: true, detail: 'plain TypeScript, runs everywhere' };
const wasm: BackendStatus = { name: 'wasm', available: false, automatic: true, detail: 'no WebAssembly SIMD' };

describe('axon info', () => {
  it('lists the backends and the one auto chooses, with the reason', () => {
    expect(infoText(infoReport('0.1.0', runtime, [js, wasm]))).toBe(
      [
        'axon 0.1.0 (Node v20.19.0, linux x64)',
        'backends:',
        '  js    available    plain TypeScript, runs everywhere',
        '  wasm  unavailable  no WebAssembly SIMD',
        '--backend auto chooses: js (the only backend available here)',
        '',
      ].join('\n'),
    );
    expect(infoText(infoReport('0.1.0', runtime, [wasm]))).toContain('--backend auto chooses: none can run here');
  });

  it('prints one JSON object with --json', async () => {
    const { stream, text } = recorder(false);
    const io = {
      stdout: stream,
      stderr: stream,
      env: {},
      clock: () => 0,
      version: '9.9.9',
      machine: { cores: 2, memoryBytes: 2 ** 33 },
    };
    await runInfo({ command: 'info', json: true, verbose: false }, io);
    const out = text();
    const report = JSON.parse(out) as Record<string, unknown>;
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    expect(report).toMatchObject({ version: '9.9.9', node: process.version });
    expect(['wasm', 'js', 'gpu']).toContain((report.chosen as { name: string }).name);
  });
});
