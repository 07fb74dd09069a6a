import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fencedBlocks, shownExample } from '../pages/markdown.js';

const root = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const readme = readFileSync(root('README.md'), 'utf8');
const blocks = fencedBlocks(readme);

describe('the README', () => {
  it('shows each example file exactly as the type-checked file, and marks every code block that is one', () => {
    const code = blocks.filter((block) => block.lang === 'ts' || block.lang === 'python');
    expect(code.length).toBeGreaterThan(0);
    for (const block of code) {
      expect(
        block.marker,
        `a ${block.lang} block of the README has no <!-- example: FILE --> comment before it`,
      ).toMatchObject({ kind: 'example' });
      expect(block.code, `${block.marker?.file} (npm run guide:pages -w @axon/examples -- --code-only copies it)`).toBe(
        shownExample(block.marker?.file ?? ''),
      );
    }
  });

  it.each(['mnist-tutorial.py', 'mnist-tutorial.ts', 'gradients.ts', 'model-files.ts', 'convnet.ts'])(
    'shows %s',
    (file) => {
      expect(blocks.some((block) => block.marker?.kind === 'example' && block.marker.file === file)).toBe(true);
    },
  );

  it('shows code that runs: the gradient example', () => {
    const out = execFileSync(
      'npx',
      ['tsx', '--conditions=@axon/source', fileURLToPath(new URL('../src/gradients.ts', import.meta.url))],
      {
        encoding: 'utf8',
      },
    );
    expect(out.trim()).toBe('[2,3]');
  });

  const mnistDir = root('../shared/data/mnist');
  it.skipIf(!existsSync(mnistDir))(
    'shows code that runs: the model-files example trains, saves, loads, predicts and exports to ONNX (needs ../shared/data/mnist)',
    () => {
      const cwd = mkdtempSync(path.join(tmpdir(), 'axon-example-'));
      try {
        // Run in a fresh directory, which the example writes its model into.
        const out = execFileSync(
          root('node_modules/.bin/tsx'),
          ['--conditions=@axon/source', fileURLToPath(new URL('../src/model-files.ts', import.meta.url)), mnistDir],
          { encoding: 'utf8', cwd },
        );
        const [, predicted, truth] = /^predicted ([\d ]+), true ([\d ]+)$/m.exec(out) ?? [];
        expect(predicted.split(' ')).toHaveLength(5);
        // Two epochs on 5,000 digits classify most of the first five test digits.
        expect(predicted.split(' ').filter((p, i) => p === truth.split(' ')[i]).length).toBeGreaterThanOrEqual(4);
        expect(readdirSync(path.join(cwd, 'mnist-model')).sort()).toEqual(['model.json', 'weights.bin']);
        expect(readdirSync(cwd).sort()).toEqual(['mnist-model', 'mnist-model.onnx']);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    },
    120_000,
  );

  it('shows code that runs: the convnet example, its summary counting Keras’s way', () => {
    const out = execFileSync(
      'npx',
      ['tsx', '--conditions=@axon/source', fileURLToPath(new URL('../src/convnet.ts', import.meta.url))],
      {
        encoding: 'utf8',
      },
    );
    expect(out).toContain('Total params: 34,954');
    expect(out).toContain('Non-trainable params: 64');
    expect(out.trim().split('\n').at(-1)).toBe('[8,10]');
  });

  it('gives the two commands a newcomer needs, and CI runs the README test command', () => {
    expect(readme).toMatch(/^npm start\b/m);
    expect(readme).toMatch(/^npm test\b/m);
    expect(readFileSync(root('.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });
});
