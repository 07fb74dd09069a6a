import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guideExamples } from '../pages/guide-examples.js';
import { fencedBlocks, shownExample } from '../pages/markdown.js';

const root = (relative: string): string => fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
const guideDir = root('docs/guide');
const markdownIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort();
const names = markdownIn(guideDir);
const english = names.map((name) => ({
  page: `docs/guide/${name}`,
  text: readFileSync(path.join(guideDir, name), 'utf8'),
}));
const chinese = names.map((name) => ({
  page: `docs/guide/zh/${name}`,
  text: readFileSync(path.join(guideDir, 'zh', name), 'utf8'),
}));
const allPages = [...english, ...chinese];

/** What a page's code blocks say, for comparing the two languages. */
const codeOf = (text: string) => fencedBlocks(text).map(({ lang, code, marker }) => ({ lang, code, marker }));

describe('the guide', () => {
  it('has an index and ten chapters, each in English and in Chinese', () => {
    expect(names).toEqual([
      '01-neuron.md',
      '02-activations.md',
      '03-losses.md',
      '04-forward-pass.md',
      '05-backpropagation.md',
      '06-optimizers.md',
      '07-keras-program.md',
      '08-explain.md',
      '09-little-data.md',
      '10-convolutional-networks.md',
      'README.md',
    ]);
    expect(markdownIn(path.join(guideDir, 'zh'))).toEqual(names);
  });

  it.each(names)('%s shows exactly the same code blocks, in the same order, in both languages', (name) => {
    const en = english.find((p) => p.page.endsWith(`/${name}`))?.text ?? '';
    const zh = chinese.find((p) => p.page.endsWith(`/${name}`))?.text ?? '';
    expect(codeOf(zh)).toEqual(codeOf(en));
  });

  it.each(allPages.map((p) => [p.page, p.text]))(
    '%s: every code block is an example file exactly as the file is, or what one prints',
    (_page, text) => {
      for (const { lang, code, marker } of fencedBlocks(text)) {
        expect(
          marker,
          `a ${lang} block without an <!-- example: FILE --> or <!-- output: FILE --> comment before it`,
        ).toBeDefined();
        if (marker?.kind === 'example')
          expect(code, `${marker.file} (npm run guide:pages -w @axon/examples -- --code-only copies it)`).toBe(
            shownExample(marker.file),
          );
        if (marker?.kind === 'output') {
          expect(
            guideExamples.map((e) => e.file),
            `${marker.file} is not among the guide's examples (pages/guide-examples.ts)`,
          ).toContain(marker.file);
          expect(
            code.trim(),
            `the output of ${marker.file} is empty: run npm run guide:pages -w @axon/examples`,
          ).not.toBe('');
        }
      }
    },
  );

  it.each(guideExamples.map((e) => e.file))('shows %s and what it prints', (file) => {
    const blocks = english.flatMap((p) => fencedBlocks(p.text));
    expect(blocks.filter((b) => b.marker?.kind === 'example' && b.marker.file === file)).toHaveLength(1);
    expect(blocks.filter((b) => b.marker?.kind === 'output' && b.marker.file === file)).toHaveLength(1);
  });

  it.each(allPages.map((p) => [p.page, p.text]))('%s links only to files that exist', (page, text) => {
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1])
      .filter((t) => !/^[a-z]+:/.test(t) && !t.startsWith('#'));
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets)
      expect(existsSync(path.join(path.dirname(root(page)), target.split('#')[0])), `${page} → ${target}`).toBe(true);
  });

  it('shows only figures the figure script draws, and every one of them', () => {
    const imagesDir = path.join(guideDir, 'images');
    const pictures = allPages.flatMap((p) =>
      [...p.text.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => path.resolve(path.dirname(root(p.page)), m[1])),
    );
    const shown = new Set(
      pictures.filter((picture) => path.dirname(picture) === imagesDir).map((picture) => path.basename(picture)),
    );
    expect([...shown].sort()).toEqual(readdirSync(imagesDir).sort());
  });

  it.each(['docs/guide/09-little-data.md', 'docs/guide/zh/09-little-data.md'])(
    '%s shows the augmentation measurement as docs/experiments/augmentation.json records it',
    (page) => {
      interface Arm {
        readonly runs: readonly { readonly accuracy: number }[];
        readonly accuracy: { readonly mean: number; readonly std: number };
      }
      const measured = JSON.parse(readFileSync(root('docs/experiments/augmentation.json'), 'utf8')) as {
        readonly results: readonly Arm[];
      };
      const text = readFileSync(root(page), 'utf8');
      const table = text.slice(text.indexOf('<!-- measured: docs/experiments/augmentation.json -->')).split('\n\n')[0];
      const rows = table.split('\n').filter((line) => /^\|.*%/.test(line));
      const percent = (x: number): string => (x * 100).toFixed(2);
      expect(rows.map((row) => row.match(/\d+\.\d+/g))).toEqual(
        measured.results.map((arm) => [
          ...arm.runs.map((run) => percent(run.accuracy)),
          percent(arm.accuracy.mean),
          percent(arm.accuracy.std),
        ]),
      );
    },
  );

  describe('chapter 10 quotes the README’s convnet figures as the README states them', () => {
    /** The blockquote after `<!-- quoted: README.md#speed -->`, its lines joined, whitespace collapsed. */
    const quoted = (page: string): string => {
      const text = readFileSync(root(page), 'utf8');
      const after = text.slice(text.indexOf('<!-- quoted: README.md#speed -->')).split('\n').slice(1);
      const lines = after.slice(
        0,
        after.findIndex((line) => !line.startsWith('>')),
      );
      return lines
        .map((line) => line.replace(/^> ?/, ''))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
    };
    const figures = (text: string): string[] => text.match(/\d[\d,.]*\d|\d/g) ?? [];
    const english = quoted('docs/guide/10-convolutional-networks.md');

    it('in English, word for word from the README’s speed section', () => {
      const readme = readFileSync(root('README.md'), 'utf8');
      const speed = readme.slice(
        readme.indexOf('\n## Speed\n'),
        readme.indexOf('\n## ', readme.indexOf('\n## Speed\n') + 1),
      );
      expect(english).toMatch(/\d/);
      expect(speed.replace(/\s+/g, ' '), 'the README’s figures changed: quote them again in both languages').toContain(
        english,
      );
    });

    it('in Chinese, with the same figures in the same order', () => {
      expect(figures(quoted('docs/guide/zh/10-convolutional-networks.md'))).toEqual(figures(english));
    });
  });

  it('is linked from the README in both languages, which shows one picture of axon explain', () => {
    const readme = readFileSync(root('README.md'), 'utf8');
    expect(readme).toContain('](docs/guide/README.md)');
    expect(readme).toContain('](docs/guide/zh/README.md)');
    const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    expect(pictures.filter((p) => p.includes('explain'))).toHaveLength(1);
    for (const picture of pictures) expect(existsSync(root(picture)), picture).toBe(true);
  });
});
