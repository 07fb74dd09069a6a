import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { type EvaluateConfig, evaluateConfig, evaluateOptions } from './evaluate-options.js';
import { type ExplainConfig, explainConfig, explainOptions } from './explain-options.js';
import { type ExportConfig, exportConfig, exportOptions } from './export-options.js';
import { type InfoConfig, infoConfig, infoOptions } from './info-options.js';
import { type ConfigOf, decodeOptions, type OptionTable } from './option-spec.js';
import { type PredictConfig, predictConfig, predictOptions } from './predict-options.js';
import { type ServeConfig, serveConfig, serveOptions } from './serve-options.js';
import { type TrainConfig, trainConfig, trainOptions } from './train-options.js';

/** Text that `--help` or `--version` asked for, to print on stdout before exiting 0. */
export interface ShowText {
  readonly command: 'help';
  readonly text: string;
}

/** What the command line asks for: one of the commands, or help text. */
export type Command =
  TrainConfig | EvaluateConfig | PredictConfig | ExplainConfig | InfoConfig | ExportConfig | ServeConfig | ShowText;

/** A subcommand: its name, its one-line summary, its options and how they become its config. */
export interface CommandDefinition {
  readonly name: Exclude<Command['command'], 'help'>;
  readonly summary: string;
  readonly options: OptionTable;
  /** Decodes the options commander collected (keyed as in `options`); left is a message. */
  readonly configure: (raw: Readonly<Record<string, unknown>>) => E.Either<string, Command>;
}

function defineCommand<T extends OptionTable>(
  name: CommandDefinition['name'],
  summary: string,
  options: T,
  finish: (config: ConfigOf<T>, given: ReadonlySet<keyof T & string>) => E.Either<string, Command>,
): CommandDefinition {
  // Which options were given on the command line, as opposed to taking their defaults.
  const givenIn = (raw: Readonly<Record<string, unknown>>): ReadonlySet<keyof T & string> =>
    new Set(Object.keys(options).filter((key) => raw[key] !== undefined) as (keyof T & string)[]);
  return {
    name,
    summary,
    options,
    configure: (raw) =>
      pipe(
        decodeOptions(options, raw),
        E.chain((config) => finish(config, givenIn(raw))),
      ),
  };
}

/** The commands of `axon`, in the order help lists them. */
export const commandDefinitions: readonly CommandDefinition[] = [
  defineCommand(
    'train',
    'train a classifier (by default, the TensorFlow beginner tutorial on MNIST)',
    trainOptions,
    trainConfig,
  ),
  defineCommand(
    'evaluate',
    'measure a model on the test set: loss, accuracy, per-class precision and recall, confusion matrix',
    evaluateOptions,
    evaluateConfig,
  ),
  defineCommand('predict', 'classify a PNG image or a test image', predictOptions, predictConfig),
  defineCommand(
    'explain',
    'show which pixels a prediction rests on: Integrated Gradients, gradient saliency or SmoothGrad, as a heat map',
    explainOptions,
    explainConfig,
  ),
  defineCommand('export', 'write a model as ONNX, for ONNX Runtime and other frameworks', exportOptions, exportConfig),
  defineCommand('info', 'show the version and the compute backends', infoOptions, infoConfig),
  defineCommand('serve', 'serve the browser playground: draw a digit, train in the page', serveOptions, serveConfig),
];
