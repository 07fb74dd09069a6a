import * as E from 'fp-ts/lib/Either.js';
import { type BackendPick, type BackendStatus, chooseBackend } from '../backends/backend-status.js';
import { detectBackends } from '../backends/detect-backends.js';
import type { InfoConfig } from '../options/info-options.js';
import type { CommandIo } from './command-io.js';

/** What `axon info` reports. */
export interface InfoReport {
  readonly version: string;
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly backends: readonly BackendStatus[];
  /** What `--backend auto` would use here, or `null` if nothing can run. */
  readonly chosen: BackendPick | null;
}

/** Where the command runs. */
export interface Runtime {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
}

/**
 * Puts the report together.
 *
 * @example
 * infoReport('0.1.0', { node: 'v20.19.0', platform: 'linux', arch: 'x64' }, [js]).chosen;
 * // { name: 'js', reason: 'the only backend available here' }
 */
export function infoReport(version: string, runtime: Runtime, backends: readonly BackendStatus[]): InfoReport {
  const chosen = chooseBackend(backends, 'auto');
  return { version, ...runtime, backends, chosen: E.isRight(chosen) ? chosen.right : null };
}

/**
 * The report for people.
 *
 * @example
 * infoText(report);
 * // 'axon 0.1.0 (Node v20.19.0, linux x64)\nbackends:\n  js  available  plain TypeScript, runs everywhere\n…'
 */
export function infoText(report: InfoReport): string {
  const width = Math.max(...report.backends.map((backend) => backend.name.length));
  const rows = report.backends.map(
    (backend) =>
      `  ${backend.name.padEnd(width)}  ${backend.available ? 'available    ' : 'unavailable  '}${backend.detail}`,
  );
  const chosen = report.chosen === null ? 'none can run here' : `${report.chosen.name} (${report.chosen.reason})`;
  const heading = `axon ${report.version} (Node ${report.node}, ${report.platform} ${report.arch})`;
  return [heading, 'backends:', ...rows, `--backend auto chooses: ${chosen}`, ''].join('\n');
}

/**
 * `axon info`: the version, the backends and which one `auto` would choose here and why;
 * with `--json`, the same as one JSON object.
 *
 * @example
 * await runInfo({ command: 'info', json: false, verbose: false }, io);
 */
export async function runInfo(config: InfoConfig, io: CommandIo): Promise<E.Either<string, void>> {
  const report = infoReport(
    io.version,
    { node: process.version, platform: process.platform, arch: process.arch },
    await detectBackends(),
  );
  io.stdout.write(config.json ? `${JSON.stringify(report)}\n` : infoText(report));
  return E.right(undefined);
}
