import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const readme = readFileSync(root('README.md'), 'utf8');

/** The TypeScript blocks of the README, as written. */
const tsBlocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);

/** An example file without the lines the README leaves out (marked `// not in README`). */
const shown = (file: string): string =>
  readFileSync(fileURLToPath(new URL(`../src/${file}`, import.meta.url)), 'utf8')
    .split('\n')
    .filter((line) => !line.endsWith('// not in README'))
    .join('\n');

describe('the README', () => {
  it.each(['mnist-tutorial.ts', 'gradients.ts', 'convnet.ts'])('shows %s exactly as the type-checked example file', (file) => {
    expect(tsBlocks).toContain(shown(file));
  });

  it('shows code that runs: the gradient example', () => {
    const out = execFileSync('npx', ['tsx', '--conditions=@axon/source', fileURLToPath(new URL('../src/gradients.ts', import.meta.url))], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('[2,3]');
  });

  it('shows code that runs: the convnet example, its summary counting Keras’s way', () => {
    const out = execFileSync('npx', ['tsx', '--conditions=@axon/source', fileURLToPath(new URL('../src/convnet.ts', import.meta.url))], {
      encoding: 'utf8',
    });
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
