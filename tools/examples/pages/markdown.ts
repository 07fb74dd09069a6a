/**
 * How the docs show the example files: a fenced code block right after the comment
 * `<!-- example: FILE -->` is FILE (a path under tools/examples/src) as it is shown, and
 * one right after `<!-- output: FILE -->` is what FILE prints when run. The tests check
 * both; `npm run guide:pages -w @axon/examples` writes them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What the comment before a block says it is. */
export interface BlockMarker {
  readonly kind: 'example' | 'output';
  /** A path under tools/examples/src, such as `guide/neuron.ts`. */
  readonly file: string;
}

/** A fenced code block of a page. */
export interface FencedBlock {
  /** The info string after the opening fence (`ts`, `text`, `python`, …); '' when there is none. */
  readonly lang: string;
  /** The lines between the fences, each ending in a newline. */
  readonly code: string;
  readonly marker?: BlockMarker;
  /** Where the block's code starts and ends in the page. */
  readonly codeStart: number;
  readonly codeEnd: number;
}

const blockPattern = /(?:<!-- (example|output): (\S+) -->\n)?```([^\n`]*)\n([\s\S]*?)^```$/gm;

/**
 * The fenced code blocks of a markdown page, in order, each with the marker before it.
 *
 * @example
 * fencedBlocks('<!-- example: a.ts -->\n```ts\nconst a = 1;\n```\n');
 * // [{ lang: 'ts', code: 'const a = 1;\n', marker: { kind: 'example', file: 'a.ts' }, … }]
 */
export const fencedBlocks = (markdown: string): FencedBlock[] =>
  [...markdown.matchAll(blockPattern)].map((match) => {
    const [whole, kind, file, lang, code] = match;
    const codeEnd = match.index + whole.length - '```'.length;
    return {
      lang: lang.trim(),
      code,
      ...(kind === undefined ? {} : { marker: { kind: kind as BlockMarker['kind'], file } }),
      codeStart: codeEnd - code.length,
      codeEnd,
    };
  });

/** Lines of an example file that end with this comment run but are not shown. */
export const notShown = '// not shown';

/** The path of an example file. */
export const examplePath = (file: string): string => fileURLToPath(new URL(`../src/${file}`, import.meta.url));

/**
 * An example file as the docs show it: without the lines marked {@link notShown}.
 *
 * @example
 * shownExample('gradients.ts'); // the file, less its `console.log(…); // not shown` line
 */
export const shownExample = (file: string): string =>
  readFileSync(examplePath(file), 'utf8')
    .split('\n')
    .filter((line) => !line.endsWith(notShown))
    .join('\n');

/** The page with the code of each block for which `replacement` gives some replaced by it. */
const replaceBlocks = (markdown: string, replacement: (marker: BlockMarker) => string | undefined): string => {
  let result = '';
  let last = 0;
  for (const block of fencedBlocks(markdown)) {
    const code = block.marker && replacement(block.marker);
    if (code === undefined) continue;
    result += markdown.slice(last, block.codeStart) + (code.endsWith('\n') ? code : `${code}\n`);
    last = block.codeEnd;
  }
  return result + markdown.slice(last);
};

/**
 * The page with the block after each `<!-- output: FILE -->` replaced by `outputs[FILE]`
 * (blocks of files not in `outputs` stay as they are).
 *
 * @example
 * withOutputs(page, { 'guide/neuron.ts': 'one neuron: z = 4.6, …\n' });
 */
export const withOutputs = (markdown: string, outputs: Readonly<Record<string, string>>): string =>
  replaceBlocks(markdown, ({ kind, file }) => (kind === 'output' ? outputs[file] : undefined));

/**
 * The page with the block after each `<!-- example: FILE -->` replaced by the file as
 * it is now ({@link shownExample}).
 *
 * @example
 * withShownExamples(readme); // after editing tools/examples/src/gradients.ts
 */
export const withShownExamples = (markdown: string): string =>
  replaceBlocks(markdown, ({ kind, file }) => (kind === 'example' ? shownExample(file) : undefined));
