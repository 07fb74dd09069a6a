import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lossTable } from '../figures/optimizers.js';
import { guideExamples } from '../pages/guide-examples.js';
import { fencedBlocks } from '../pages/markdown.js';
import { runExample, runTypeScript } from '../pages/run-example.js';

const guideDir = fileURLToPath(new URL('../../../docs/guide', import.meta.url));
const pages = (await readdir(guideDir)).filter((name) => name.endsWith('.md'));
const blocks = (await Promise.all(pages.map((name) => readFile(path.join(guideDir, name), 'utf8')))).flatMap(
  fencedBlocks,
);
const pageOutput = (file: string): string =>
  blocks.find((b) => b.marker?.kind === 'output' && b.marker.file === file)?.code ?? '';
const refresh = 'if the change is right, run npm run guide:pages -w @axon/examples to refresh the pages';

/**
 * The lines of an output with every number replaced by #, runs of spaces by one, and
 * lines of text art left out: a quick run and the page's full run have the same form.
 */
const form = (output: string): Set<string> =>
  new Set(
    output
      .split('\n')
      .filter((line) => !/^[ +.-]*$/.test(line))
      .map((line) =>
        line
          .replace(/-?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?/g, '#')
          .replace(/\s+/g, ' ')
          .trim(),
      ),
  );

const numbers = (line: string | undefined): number[] =>
  (line?.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/g) ?? []).map(Number);

/** What each training example's quick run must show besides its form. */
const checks: Record<string, (output: string) => void> = {
  'guide/optimizers.ts': (output) => {
    const last = (name: string): number =>
      lossTable(output)
        .filter((p) => p.optimizer === name)
        .at(-1)?.loss ?? NaN;
    // 1,000 samples, 3 epochs: gradient descent makes 3 steps, the others 3 × ⌈1000 / 128⌉.
    expect(numbers(output.split('\n').find((line) => line.startsWith('steps')))).toEqual([3, 24, 24]);
    expect(last('Adam')).toBeLessThan(last('SGD'));
    expect(last('SGD')).toBeLessThan(last('gradient descent'));
  },
  'mnist-tutorial.ts': (output) => {
    const [, accuracy] = numbers(output.split('\n').find((line) => line.startsWith('test loss')));
    expect(accuracy).toBeGreaterThanOrEqual(97);
  },
  'guide/explain.ts': (output) => {
    const explained = output.split('\n').filter((line) => line.startsWith('test image'));
    expect(explained).toHaveLength(3);
    for (const line of explained) {
      const [, digit, read, , error] = numbers(line);
      expect(read, line).toBe(digit); // the first three test digits are easy, even after one short epoch
      expect(Math.abs(error), line).toBeLessThan(0.05);
    }
    expect(output).toMatch(/\+/);
  },
  'guide/little-data.ts': (output) => {
    for (const line of output.split('\n').filter((l) => l.endsWith('%'))) {
      expect(numbers(line)[0], line).toBeGreaterThan(30);
      expect(numbers(line)[0], line).toBeLessThanOrEqual(100);
    }
  },
  'guide/convnet.ts': (output) => {
    expect(output).toContain('Total params: 34,826'); // as Keras's summary counts mnist_convnet
    expect(output.split('\n').filter((line) => line.startsWith('epoch'))).toHaveLength(1);
    // 2,000 images, one epoch (16 steps): far from trained, far above chance (10%).
    const [, accuracy] = numbers(output.split('\n').find((line) => line.startsWith('test loss')));
    expect(accuracy).toBeGreaterThan(30);
    expect(accuracy).toBeLessThanOrEqual(100);
  },
};

describe('the guide’s examples run', () => {
  for (const { file, quickArgs, output } of guideExamples) {
    if (output === 'exact') {
      it(`${file} prints what its page shows`, async () => {
        expect(await runExample(file), refresh).toBe(pageOutput(file));
      });
    } else {
      it(`${file} ${quickArgs.join(' ')} prints lines of the form its page shows, and the numbers are right`, async () => {
        const printed = await runExample(file, quickArgs);
        expect([...form(printed)].sort(), refresh).toEqual([...form(pageOutput(file))].sort());
        checks[file](printed);
      }, 600_000);
    }
  }
});

describe('the figure script', () => {
  it('draws every figure of the guide (quick)', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'axon-figures-'));
    try {
      await runTypeScript(fileURLToPath(new URL('../figures/main.ts', import.meta.url)), ['--quick', '--out', out]);
      const drawn = (await readdir(out)).sort();
      expect(drawn).toEqual((await readdir(path.join(guideDir, 'images'))).sort());
      for (const name of drawn)
        expect(await readFile(path.join(out, name), 'utf8'), name).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 300_000);
});
