import fc from 'fast-check';
import { commandDefinitions } from '../../src/options/command.js';
import { longFlag } from '../../src/options/option-spec.js';

// Random command lines for fuzzing `axon`: the real commands and flags (read from the
// option tables, so new options are fuzzed too) mixed with unknown ones, each flag with
// a value that is usually wrong and sometimes right.

/** Every flag of every command, without duplicates. */
export const allFlags: readonly string[] = [
  ...new Set(commandDefinitions.flatMap((definition) => Object.values(definition.options).map(longFlag))),
];

/** The flags whose value names a file the command writes. */
export const outputFlags: readonly string[] = ['--out', '--confusion-svg'];

/** Flags whose value names a file or directory the command reads or writes. */
const pathFlags = new Set(['--out', '--confusion-svg', '--model', '--data-dir', '--image']);

/** Values that have broken parsers before: empty, signs, overflow, hex, separators, U+FFFD, very long. */
const awkwardValues = [
  '',
  ' ',
  '-',
  '--',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  '0x10',
  '1,,2',
  ',',
  '0.5.5',
  '\uFFFD',
  'x'.repeat(5000),
];

/**
 * Text of every kind: ASCII, any Unicode character, control characters. Never NUL (no
 * process argument can hold it), `/`, `.` or `..`: commander may take any word as the
 * value of a flag before it, and an `--out` so given must still name a file in the
 * working directory.
 */
const anyText = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom(...awkwardValues),
    fc.integer().map(String),
    fc.double().map(String),
  )
  .map((text) => text.replace(/[\0/]/g, ''))
  .filter((text) => text !== '.' && text !== '..');

/**
 * A relative name in the working directory, never `.` or `..` and without `/`, so a
 * command given it as `--out` can only write there.
 */
const localName = fc
  .stringMatching(/^[a-zA-Z0-9 ._é中🙂\uFFFD-]{1,16}$/u)
  .filter((name) => name !== '.' && name !== '..' && !name.startsWith('-'));

/** Values `axon` accepts for some flags, so that some command lines get past the parser. */
const plausibleValues: Readonly<Record<string, fc.Arbitrary<string>>> = {
  '--epochs': fc.integer({ min: 1, max: 2 }).map(String),
  '--batch-size': fc.integer({ min: 1, max: 64 }).map(String),
  '--layers': fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 2 }).map((units) => units.join(',')),
  '--limit': fc.integer({ min: 1, max: 40 }).map(String),
  '--threads': fc.integer({ min: 1, max: 2 }).map(String),
  '--index': fc.integer({ min: 0, max: 3 }).map(String),
  '--backend': fc.constantFrom('js', 'auto'),
  '--dataset': fc.constant('idx'),
};

/** What a fuzzed command line may point at: a small data directory and a model trained on it. */
export interface FuzzTargets {
  readonly dataDir: string;
  readonly model: string;
}

const valueFor = (flag: string, targets: FuzzTargets): fc.Arbitrary<string> => {
  const plausible: fc.Arbitrary<string>[] = [];
  if (flag === '--data-dir') plausible.push(fc.constant(targets.dataDir));
  if (flag === '--model') plausible.push(fc.constant(targets.model));
  if (flag in plausibleValues) plausible.push(plausibleValues[flag]);
  // A path flag never gets free text, which could name a file anywhere.
  const wrong = pathFlags.has(flag) ? localName : anyText;
  return plausible.length === 0 ? wrong : fc.oneof(wrong, ...plausible);
};

/** One option as a command line has it: `--flag value`, `--flag=value`, or a bare flag. */
const optionOf = (flags: readonly string[], targets: FuzzTargets): fc.Arbitrary<string[]> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(...flags).chain((flag) => valueFor(flag, targets).map((value) => [flag, value])),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...flags)
        .chain((flag) => valueFor(flag, targets).map((value) => [`${flag}=${value}`])),
    },
    { weight: 1, arbitrary: fc.constantFrom(...flags).map((flag) => [flag]) },
  );

/** Anything else a command line may hold: another command's flag, an unknown one, a stray word. */
const strayWords = (targets: FuzzTargets): fc.Arbitrary<string[]> =>
  fc.oneof(
    optionOf([...allFlags, '-h', '-V'], targets),
    anyText.map((text) => [`--${text}`]),
    anyText.map((text) => [text]),
  );

/**
 * A command line for `axon` (the words after the program name): mostly a command with
 * up to five of its own options, some of them given values it accepts, and now and then
 * a stray word or something other than a command. Every path in it is a plain name in
 * the working directory or one of `targets`, so what the command writes can be checked.
 *
 * @example
 * fc.sample(commandLine(targets), 1); // [['train', '--epochs', '-1', '--out=é 🙂']]
 */
export function commandLine(targets: FuzzTargets): fc.Arbitrary<string[]> {
  const command = fc.constantFrom(...commandDefinitions).chain((definition) => {
    const own = optionOf(Object.values(definition.options).map(longFlag), targets);
    const option = fc.oneof({ weight: 5, arbitrary: own }, { weight: 1, arbitrary: strayWords(targets) });
    return fc.array(option, { maxLength: 5 }).map((options) => [definition.name, ...options.flat()]);
  });
  const other = fc
    .tuple(anyText, fc.array(strayWords(targets), { maxLength: 3 }))
    .map(([word, options]) => [word, ...options.flat()]);
  return fc.oneof({ weight: 8, arbitrary: command }, { weight: 1, arbitrary: other });
}

/**
 * The names in the working directory a command line may write: the values of its output
 * flags, and `model` (the default `--out`) for `train`.
 *
 * @example
 * allowedOutputs(['train', '--out', 'a', '--confusion-svg=b.svg']); // Set { 'model', 'a', 'b.svg' }
 */
export function allowedOutputs(argv: readonly string[]): ReadonlySet<string> {
  const allowed = new Set<string>(argv[0] === 'train' ? ['model'] : []);
  argv.forEach((word, i) => {
    for (const flag of outputFlags) {
      if (word === flag && i + 1 < argv.length) allowed.add(argv[i + 1]);
      if (word.startsWith(`${flag}=`)) allowed.add(word.slice(flag.length + 1));
    }
  });
  return allowed;
}

/** For `train`: what keeps a fuzzed run small and offline, for each flag it does not set itself. */
const trainingSafeguards = (targets: FuzzTargets): Readonly<Record<string, string>> => ({
  '--dataset': 'idx',
  '--data-dir': targets.dataDir,
  '--epochs': '1',
  '--limit': '32',
  '--layers': '4',
  '--backend': 'js',
});

/**
 * A fuzzed `train` command line completed so that it stays cheap: small data from
 * `targets`, one epoch, a tiny network, unless it sets those flags itself (to values
 * {@link commandLine} keeps small). Other command lines are returned as they are.
 *
 * @example
 * withSafeguards(['train', '--epochs', '2'], targets); // ['train', '--epochs', '2', '--dataset', 'idx', '--data-dir', …]
 */
export function withSafeguards(argv: readonly string[], targets: FuzzTargets): string[] {
  if (argv[0] !== 'train') return [...argv];
  const sets = (flag: string): boolean => argv.some((word) => word === flag || word.startsWith(`${flag}=`));
  return [
    ...argv,
    ...Object.entries(trainingSafeguards(targets)).flatMap(([flag, value]) => (sets(flag) ? [] : [flag, value])),
  ];
}
