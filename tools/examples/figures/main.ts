/**
 * Draws the guide's figures into docs/guide/images, from axon's own computations and
 * from the runs the pages show:
 *
 *   npm run guide:figures -w @axon/examples [-- --quick] [--out DIR]
 *
 * `--quick` trains chapter 8's model on 1,000 images for one epoch instead of 60,000
 * for three, and chapter 10's on 1,000 instead of 60,000 for one (the tests draw every
 * figure so, into a temporary directory).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fencedBlocks } from '../pages/markdown.js';
import { activationsSpec } from './activations.js';
import { attributionsSvg } from './attributions.js';
import { augmentationSvg } from './augmentation.js';
import { featureMapsSvg } from './feature-maps.js';
import { lossesSpec } from './losses.js';
import { loadMnist } from './mnist.js';
import { optimizersSpec } from './optimizers.js';
import { chartSvg } from './render.js';

const guideDir = fileURLToPath(new URL('../../../docs/guide', import.meta.url));

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(guideDir, 'images') },
  },
});

/** The output block of `file` on an English page of the guide. */
const pageOutput = async (page: string, file: string): Promise<string> => {
  const block = fencedBlocks(await readFile(path.join(guideDir, page), 'utf8')).find(
    (b) => b.marker?.kind === 'output' && b.marker.file === file,
  );
  if (block === undefined) throw new Error(`docs/guide/${page} shows no output of ${file}`);
  return block.code;
};

const splits = await loadMnist();
const figures: Record<string, () => Promise<string>> = {
  'activations.svg': () => chartSvg(activationsSpec()),
  'losses.svg': () => chartSvg(lossesSpec()),
  'optimizers.svg': async () => chartSvg(optimizersSpec(await pageOutput('06-optimizers.md', 'guide/optimizers.ts'))),
  'attributions.svg': () =>
    attributionsSvg(splits, options.quick ? { samples: 1000, epochs: 1 } : { samples: 60_000, epochs: 3 }),
  'augmentation.svg': async () => augmentationSvg(splits),
  'feature-maps.svg': () =>
    featureMapsSvg(splits, options.quick ? { samples: 1000, epochs: 1 } : { samples: 60_000, epochs: 1 }),
};

await mkdir(options.out, { recursive: true });
for (const [name, draw] of Object.entries(figures)) {
  const started = performance.now();
  await writeFile(path.join(options.out, name), await draw());
  process.stderr.write(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
