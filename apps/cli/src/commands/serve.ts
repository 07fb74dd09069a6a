import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { modelJsonFile } from '@axon/io';
import { playgroundSiteDir, servePlayground } from '@axon/web/serve';
import type { ServeConfig } from '../options/serve-options.js';
import type { CommandIo } from './command-io.js';

const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Resolves at the first stop signal (Ctrl-C, `kill`, a closed terminal): stopping is how a server ends. */
const untilStopped = (): Promise<void> =>
  new Promise((resolve) => {
    const stop = (): void => {
      stopSignals.forEach((signal) => process.off(signal, stop));
      resolve();
    };
    stopSignals.forEach((signal) => process.on(signal, stop));
  });

const isFile = async (file: string): Promise<boolean> => (await stat(file).catch(() => undefined))?.isFile() === true;

/**
 * `axon serve`: serves the browser playground (draw a digit, train in the page) on
 * 127.0.0.1 unless `--host` says otherwise, with the headers that let its WebAssembly
 * threads share memory; `--model DIR` makes the page read digits with that model. Runs
 * until Ctrl-C (or SIGTERM), then exits 0.
 *
 * @example
 * await runServe({ command: 'serve', model: 'model', port: 8080, host: '127.0.0.1', verbose: false }, io);
 * // stdout: 'axon playground at http://127.0.0.1:8080/ (model: model; Ctrl-C stops it)'
 */
export async function runServe(config: ServeConfig, io: CommandIo): Promise<E.Either<string, void>> {
  if (config.model !== null && !(await isFile(path.join(config.model, modelJsonFile)))) {
    return E.left(
      `axon serve: ${config.model}: no ${modelJsonFile} there (give the directory \`axon train --out\` wrote)`,
    );
  }
  if (!(await isFile(path.join(playgroundSiteDir, 'index.html')))) {
    return E.left(
      `axon serve: the playground is not built (no ${path.join(playgroundSiteDir, 'index.html')}): run npm run build`,
    );
  }
  const stopped = untilStopped();
  let playground;
  try {
    playground = await servePlayground({
      port: config.port,
      host: config.host,
      ...(config.model === null ? {} : { modelDir: config.model }),
    });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const why =
      code === 'EADDRINUSE'
        ? 'the port is in use (choose another --port, or 0 for any free one)'
        : error instanceof Error
          ? error.message
          : String(error);
    return E.left(`axon serve: cannot listen on ${config.host}:${config.port}: ${why}`);
  }
  const model = config.model === null ? "the playground's own" : config.model;
  io.stdout.write(`axon playground at ${playground.url} (model: ${model}; Ctrl-C stops it)\n`);
  await stopped;
  await playground.close();
  return E.right(undefined);
}
