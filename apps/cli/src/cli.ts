import * as E from 'fp-ts/lib/Either.js';
import type { CommandIo } from './commands/command-io.js';
import { failureExitCode, failureMessage, type CommandFailure } from './commands/failure.js';
import { runExport } from './commands/export.js';
import { runInfo } from './commands/info.js';
import { runEvaluate } from './commands/evaluate.js';
import { runExplain } from './commands/explain.js';
import { runPredict } from './commands/predict.js';
import { runServe } from './commands/serve.js';
import { runTrain } from './commands/train.js';
import type { Command } from './options/command.js';
import type { EvaluateConfig } from './options/evaluate-options.js';
import type { ExplainConfig } from './options/explain-options.js';
import type { ExportConfig } from './options/export-options.js';
import type { InfoConfig } from './options/info-options.js';
import { checkMachineLimits } from './options/machine-limits.js';
import { parseArgs } from './options/parse-args.js';
import { oneLine } from './output/one-line.js';
import type { PredictConfig } from './options/predict-options.js';
import type { ServeConfig } from './options/serve-options.js';
import type { TrainConfig } from './options/train-options.js';

/** A command's work: right when done, left with one line for stderr (and an exit status) when it failed. */
export type Handler<C> = (config: C, io: CommandIo) => Promise<E.Either<CommandFailure, void>>;

/** The handler of each command. */
export interface Handlers {
  readonly train: Handler<TrainConfig>;
  readonly evaluate: Handler<EvaluateConfig>;
  readonly predict: Handler<PredictConfig>;
  readonly explain: Handler<ExplainConfig>;
  readonly info: Handler<InfoConfig>;
  readonly serve: Handler<ServeConfig>;
  readonly export: Handler<ExportConfig>;
}

/** Exit statuses: success, a failure while working, a command line that cannot run. */
export const exitCode = { ok: 0, failure: 1, usage: 2 } as const;

/** The handlers of this build. */
export const defaultHandlers: Handlers = {
  train: runTrain,
  evaluate: runEvaluate,
  predict: runPredict,
  explain: runExplain,
  info: runInfo,
  serve: runServe,
  export: runExport,
};

function dispatch(
  command: Exclude<Command, { command: 'help' }>,
  io: CommandIo,
  handlers: Handlers,
): Promise<E.Either<CommandFailure, void>> {
  switch (command.command) {
    case 'train':
      return handlers.train(command, io);
    case 'evaluate':
      return handlers.evaluate(command, io);
    case 'predict':
      return handlers.predict(command, io);
    case 'explain':
      return handlers.explain(command, io);
    case 'info':
      return handlers.info(command, io);
    case 'serve':
      return handlers.serve(command, io);
    case 'export':
      return handlers.export(command, io);
  }
}

/**
 * Runs `axon` with the arguments after the program name and returns the exit status:
 * 2 with a one-line message on stderr for a command line that cannot run, 1 with a
 * one-line message for a failure while working (plus the stack trace of an unexpected
 * error with `--verbose`), 0 otherwise.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), io);
 */
export async function runCli(
  argv: readonly string[],
  io: CommandIo,
  handlers: Handlers = defaultHandlers,
): Promise<number> {
  const parsed = parseArgs(argv, io.version);
  if (E.isLeft(parsed)) {
    io.stderr.write(`${oneLine(parsed.left.message)}\n`);
    return exitCode.usage;
  }
  const command = parsed.right;
  if (command.command === 'help') {
    io.stdout.write(command.text);
    return exitCode.ok;
  }
  const fits = checkMachineLimits(command, io.machine);
  if (E.isLeft(fits)) {
    io.stderr.write(`${oneLine(`axon ${command.command}: ${fits.left}`)}\n`);
    return exitCode.usage;
  }
  try {
    const result = await dispatch(command, io, handlers);
    if (E.isRight(result)) return exitCode.ok;
    io.stderr.write(`${failureMessage(result.left)}\n`);
    return failureExitCode(result.left);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const stack = command.verbose && error instanceof Error && error.stack !== undefined ? `\n${error.stack}` : '';
    io.stderr.write(`${oneLine(`axon ${command.command}: ${message.split('\n')[0]}`)}${stack}\n`);
  }
  return exitCode.failure;
}
