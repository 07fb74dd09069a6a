import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadModelDirectory, saveModelDirectory, writeDirectoryAtomically } from './model-directory.js';
import { renderModelFileError } from '../layers-model/model-file-error.js';
import type { SavedModel } from '../layers-model/saved-model.js';
import { savedModelArbitrary } from '../testing/saved-model-arbitrary.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'axon-model-directory-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const [first, second] = fc.sample(savedModelArbitrary(), { numRuns: 2, seed: 7 });

const errorLine = (result: E.Either<Parameters<typeof renderModelFileError>[0], unknown>): string =>
  E.isLeft(result) ? renderModelFileError(result.left) : 'no error';

describe('saveModelDirectory / loadModelDirectory', () => {
  it('loads back what it saved, with the extra files beside it', async () => {
    await fc.assert(
      fc.asyncProperty(savedModelArbitrary(), async (model) => {
        const dir = path.join(root, 'nested', 'model');
        expect(await saveModelDirectory(dir, model, 'axon test', [{ name: 'history.json', contents: '[]\n' }])()).toEqual(E.right(undefined));
        expect(await loadModelDirectory(dir)()).toEqual(E.right(model));
        expect((await readdir(dir)).sort()).toEqual(['history.json', 'model.json', 'weights.bin']);
      }),
      { numRuns: 15 },
    );
  });

  it('replaces an existing model directory completely and leaves nothing else behind', async () => {
    const dir = path.join(root, 'model');
    await saveModelDirectory(dir, first, 'axon test', [{ name: 'old-only.txt', contents: 'x' }])();
    await saveModelDirectory(dir, second, 'axon test')();
    expect(await loadModelDirectory(dir)()).toEqual(E.right(second));
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    expect(await readdir(root)).toEqual(['model']);
  });

  it('refuses to replace a directory that is not a model directory, and leaves it intact', async () => {
    const dir = path.join(root, 'home');
    await mkdir(dir);
    await writeFile(path.join(dir, 'thesis.tex'), 'precious');
    const result = await saveModelDirectory(dir, first, 'axon test')();
    expect(errorLine(result)).toBe(`${dir}: exists and is not a model directory (no model.json, or subdirectories); refusing to replace it`);
    expect(await readdir(dir)).toEqual(['thesis.tex']);
    expect(await readdir(root)).toEqual(['home']);
  });

  it('refuses to replace a file', async () => {
    const file = path.join(root, 'model');
    await writeFile(file, 'x');
    expect(errorLine(await saveModelDirectory(file, first, 'axon test')())).toBe(`${file}: exists and is not a directory; refusing to replace it`);
  });

  it('keeps the previous model and no temporary files when writing fails part-way', async () => {
    const dir = path.join(root, 'model');
    await saveModelDirectory(dir, first, 'axon test')();
    // The second file of the same name fails to open, after model.json and weights.bin are written.
    const result = await writeDirectoryAtomically(dir, [
      { name: 'model.json', contents: '{}' },
      { name: 'same', contents: 'a' },
      { name: 'same', contents: 'b' },
    ])();
    expect(errorLine(result)).toBe(`${dir}: cannot write the model: already exists`);
    expect(await loadModelDirectory(dir)()).toEqual(E.right(first));
    expect(await readdir(root)).toEqual(['model']);
  });

  it('reports an output path below a file as an io error naming it', async () => {
    await writeFile(path.join(root, 'file'), 'x');
    const dir = path.join(root, 'file', 'model');
    const result = await saveModelDirectory(dir, first, 'axon test')();
    expect(E.isLeft(result) && result.left.kind).toBe('io');
    expect(errorLine(result)).toMatch(new RegExp(`^${root}/file(/model)?: cannot .*: a parent path is not a directory$`));
  });

  it('reports a missing model with the path of model.json', async () => {
    const dir = path.join(root, 'absent');
    expect(errorLine(await loadModelDirectory(dir)())).toBe(`${path.join(dir, 'model.json')}: cannot read: does not exist`);
  });

  it('reports a truncated weights file with its path', async () => {
    const dir = path.join(root, 'model');
    const model: SavedModel = { inputShape: [2], layers: [{ kind: 'dense', units: 1, activation: 'linear', kernel: new Float32Array([1, 2]), bias: null }], metadata: null };
    await saveModelDirectory(dir, model, 'axon test')();
    const weights = path.join(dir, 'weights.bin');
    await writeFile(weights, (await readFile(weights)).subarray(0, 5));
    expect(errorLine(await loadModelDirectory(dir)())).toBe(`${weights}: expected 8 bytes (the float32 weights model.json lists), found 5`);
  });

  it('reports a field error with the path of model.json', async () => {
    const dir = path.join(root, 'model');
    await saveModelDirectory(dir, first, 'axon test')();
    const jsonPath = path.join(dir, 'model.json');
    const json = JSON.parse(await readFile(jsonPath, 'utf8')) as { weightsManifest: unknown };
    json.weightsManifest = 'none';
    await writeFile(jsonPath, JSON.stringify(json));
    expect(errorLine(await loadModelDirectory(dir)())).toBe(`${jsonPath}: weightsManifest: expected a list of weight groups ({ paths, weights }), got "none"`);
  });
});
