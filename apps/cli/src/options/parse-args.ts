import { Command as Program, CommanderError, Option } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { type Command, type CommandDefinition, commandDefinitions } from './command.js';
import { longFlag } from './option-spec.js';

/** A command line that cannot run: one line for stderr; the process exits with status 2. */
export interface UsageError {
  readonly message: string;
}

/** Where commander's own output goes while parsing. */
interface Captured {
  out: string;
}

/** Builds the commander program for the four commands; `onCommand` receives the chosen command and its raw options. */
function buildProgram(
  version: string,
  captured: Captured,
  onCommand: (definition: CommandDefinition, raw: Readonly<Record<string, unknown>>) => void,
): Program {
  const program = new Program('axon')
    .description('Deep learning in TypeScript: train, evaluate and run classifiers from the terminal.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => {
        captured.out += text;
      },
      // Errors become a UsageError; commander's own rendering of them is not shown.
      writeErr: () => undefined,
    });
  for (const definition of commandDefinitions) {
    const command = program.command(definition.name).description(definition.summary);
    const attributes = Object.entries(definition.options).map(([key, spec]) => {
      const option = new Option(spec.flags, spec.help);
      command.addOption(option);
      return [key, option.attributeName()] as const;
    });
    command.action(() => {
      onCommand(
        definition,
        Object.fromEntries(attributes.map(([key, attribute]) => [key, command.getOptionValue(attribute)])),
      );
    });
  }
  return program;
}

/** The command a command line names, if it names one. */
const definitionIn = (argv: readonly string[]): CommandDefinition | undefined =>
  commandDefinitions.find((definition) => definition.name === argv.find((arg) => !arg.startsWith('-')));

/** Commander's message on one line, without its `error: ` prefix. */
const oneLine = (message: string): string =>
  message
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');

function usageError(error: CommanderError, argv: readonly string[]): UsageError {
  const definition = definitionIn(argv);
  const prefix = definition === undefined ? 'axon' : `axon ${definition.name}`;
  if (error.code === 'commander.help') {
    return {
      message: `axon: missing command; expected one of ${commandDefinitions.map((d) => d.name).join(', ')} (see axon --help)`,
    };
  }
  if (error.code === 'commander.unknownOption' && definition !== undefined) {
    const accepted = Object.values(definition.options).map(longFlag).join(', ');
    return { message: `${prefix}: ${oneLine(error.message)}; accepted options: ${accepted}, --help` };
  }
  return { message: `${prefix}: ${oneLine(error.message)}` };
}

/**
 * Parses a command line (the arguments after `axon`) into a typed, validated command.
 * Every option is checked before any work starts; an unknown command or option, a
 * missing value, or an invalid one gives a one-line {@link UsageError} naming the
 * option and the accepted values. `--help` and `--version` give their text to print.
 * Nothing is printed and the process is left alone.
 *
 * @example
 * parseArgs(['train', '--epochs', '3'], '0.1.0');   // right({ command: 'train', epochs: 3, batchSize: 128, … })
 * parseArgs(['train', '--epochs', '0'], '0.1.0');   // left({ message: 'axon train: --epochs: expected a positive integer, got "0"' })
 */
export function parseArgs(argv: readonly string[], version: string): E.Either<UsageError, Command> {
  const captured: Captured = { out: '' };
  let chosen: E.Either<UsageError, Command> | undefined;
  const program = buildProgram(version, captured, (definition, raw) => {
    chosen = E.mapLeft((message: string) => ({ message: `axon ${definition.name}: ${message}` }))(
      definition.configure(raw),
    );
  });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Commander ends `--help`, `help <command>` and `--version` with status 0, errors with 1.
    return error.exitCode === 0 ? E.right({ command: 'help', text: captured.out }) : E.left(usageError(error, argv));
  }
  // Commander either runs one command's action or throws, so `chosen` is set here.
  return chosen ?? E.left({ message: 'axon: no command was run' });
}
