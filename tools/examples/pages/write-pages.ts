/**
 * Writes the example files and what they print into the pages that show them: the
 * README and the guide, English and Chinese.
 *
 *   npm run guide:pages -w @axon/examples [-- --code-only] [FILE...]
 *
 * Every block after `<!-- example: FILE -->` becomes the file as it is now. Unless
 * `--code-only`, every example of the guide (or only the FILEs named, such as
 * `guide/neuron.ts`) then runs as its page shows it, with no arguments, and what it
 * prints goes into the block after `<!-- output: FILE -->`. The training examples take
 * minutes, and print this machine's numbers.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { guideExamples } from './guide-examples.js';
import { withOutputs, withShownExamples } from './markdown.js';
import { runExample } from './run-example.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const guideDir = path.join(root, 'docs/guide');
const { values: options, positionals: only } = parseArgs({
  options: { 'code-only': { type: 'boolean', default: false } },
  allowPositionals: true,
});
const unknown = only.filter((file) => !guideExamples.some((example) => example.file === file));
if (unknown.length > 0) throw new Error(`not an example of the guide: ${unknown.join(', ')}`);

const outputs: Record<string, string> = {};
if (!options['code-only']) {
  for (const { file } of guideExamples.filter((example) => only.length === 0 || only.includes(example.file))) {
    const started = performance.now();
    outputs[file] = await runExample(file);
    process.stderr.write(`${file}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

const markdownIn = async (dir: string): Promise<string[]> =>
  (await readdir(dir)).filter((name) => name.endsWith('.md')).map((name) => path.join(dir, name));
const pages = [
  path.join(root, 'README.md'),
  ...(await markdownIn(guideDir)),
  ...(await markdownIn(path.join(guideDir, 'zh'))),
];
for (const page of pages) {
  const before = await readFile(page, 'utf8');
  const after = withOutputs(withShownExamples(before), outputs);
  if (after !== before) {
    await writeFile(page, after);
    process.stderr.write(`wrote ${path.relative(root, page)}\n`);
  }
}
