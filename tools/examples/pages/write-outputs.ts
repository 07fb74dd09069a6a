/**
 * Runs every example of the guide as its page shows it (no arguments) and writes what
 * it printed into the output blocks of the pages, English and Chinese:
 *
 *   npm run guide:outputs -w @axon/examples [-- FILE...]
 *
 * With file names (such as `guide/neuron.ts`), only those run. Training examples take
 * minutes; their numbers are those of this machine and backend.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { guideExamples } from './guide-examples.js';
import { withOutputs } from './markdown.js';
import { runExample } from './run-example.js';

const guideDir = fileURLToPath(new URL('../../../docs/guide', import.meta.url));
const only = process.argv.slice(2);
const unknown = only.filter((file) => !guideExamples.some((example) => example.file === file));
if (unknown.length > 0) throw new Error(`not an example of the guide: ${unknown.join(', ')}`);

const outputs: Record<string, string> = {};
for (const { file } of guideExamples.filter((example) => only.length === 0 || only.includes(example.file))) {
  const started = performance.now();
  outputs[file] = await runExample(file);
  process.stderr.write(`${file}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

for (const dir of [guideDir, path.join(guideDir, 'zh')]) {
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.md'))) {
    const page = path.join(dir, name);
    const before = await readFile(page, 'utf8');
    const after = withOutputs(before, outputs);
    if (after !== before) await writeFile(page, after);
  }
}
