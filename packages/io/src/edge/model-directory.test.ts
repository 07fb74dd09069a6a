import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { tensor } from '@axon/tensor';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderModelFileError } from '../layers-model/model-file-error.js';
import type { SavedModel } from '../layers-model/saved-model.js';
import { modelAsWritten, plainModel } from '../testing/plain-model.js';
import { savedModelArbitrary } from '../testing/saved-model-arbitrary.js';
import { temporaryName } from './durable-files.js';
import {
  checkModelTarget,
  loadModel,
  modelDirectoryCheck,
  saveModelDirectory,
  writeDirectoryAtomically,
} from './model-directory.js';

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

const loaded = async (dir: string): Promise<unknown> => {
  const result = await loadModel(dir)();
  if (E.isLeft(result)) throw new Error(renderModelFileError(result.left));
  return plainModel(result.right);
};

describe('saveModelDirectory / loadModel', () => {
  it('loads back what it saved, with the extra files beside it', async () => {
    await fc.assert(
      fc.asyncProperty(savedModelArbitrary(), async (model) => {
        const dir = path.join(root, 'nested', 'model');
        expect(
          await saveModelDirectory(dir, model, 'axon test', [{ name: 'history.json', contents: '[]\n' }])(),
        ).toEqual(E.right(undefined));
        expect(await loaded(dir)).toEqual(plainModel(modelAsWritten(model)));
        expect((await readdir(dir)).sort()).toEqual(['history.json', 'model.json', 'weights.bin']);
      }),
      { numRuns: 15 },
    );
  });

  it('replaces an existing model directory completely and leaves nothing else behind', async () => {
    const dir = path.join(root, 'model');
    await saveModelDirectory(dir, first, 'axon test', [{ name: 'history.json', contents: 'x' }])();
    expect(
      errorLine(await saveModelDirectory(dir, second, 'axon test', [{ name: 'history.json', contents: 'y' }])()),
    ).toBe('no error');
    expect(await loaded(dir)).toEqual(plainModel(modelAsWritten(second)));
    expect((await readdir(dir)).sort()).toEqual(['history.json', 'model.json', 'weights.bin']);
    expect(await readdir(root)).toEqual(['model']);
  });

  it('replaces a directory TensorFlow.js or the Keras converter wrote, whose weights files its model.json names', async () => {
    const dir = path.join(root, 'model');
    await saveModelDirectory(dir, first, 'axon test')();
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    json.weightsManifest[0].paths = ['group1-shard1of1.bin'];
    await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
    await writeFile(path.join(dir, 'group1-shard1of1.bin'), await readFile(path.join(dir, 'weights.bin')));
    await rm(path.join(dir, 'weights.bin'));
    expect(errorLine(await saveModelDirectory(dir, second, 'axon test')())).toBe('no error');
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('refuses to replace a directory holding anything but a model, and leaves it intact', async () => {
    const cases: [string, (dir: string) => Promise<void>, string][] = [
      [
        'other work',
        async (dir) => writeFile(path.join(dir, 'thesis.tex'), 'precious'),
        'holds no model.json, so it is not a model directory',
      ],
      [
        'a model.json beside other files',
        async (dir) => {
          await saveModelDirectory(dir, first, 'axon test')();
          await writeFile(path.join(dir, 'thesis.txt'), 'keep');
        },
        'holds thesis.txt, which is not part of a model',
      ],
      [
        'a model.json that is not a model',
        async (dir) => {
          await writeFile(path.join(dir, 'model.json'), '{}');
        },
        'holds a model.json that is not a valid model (model.json: modelTopology: missing',
      ],
      ['a subdirectory', async (dir) => mkdir(path.join(dir, 'sub')), 'holds sub, which is not a plain file'],
    ];
    for (const [name, setUp, says] of cases) {
      const dir = path.join(root, name.replace(/ /g, '-'));
      await mkdir(dir, { recursive: true });
      await setUp(dir);
      const before = (await readdir(dir)).sort();
      const result = await saveModelDirectory(dir, second, 'axon test')();
      expect(errorLine(result), name).toContain(`${dir}: ${says}`);
      expect(errorLine(result), name).toMatch(/; refusing to replace it$/);
      expect((await readdir(dir)).sort(), name).toEqual(before);
      expect(errorLine(await checkModelTarget(dir)()), name).toBe(errorLine(result));
    }
    expect((await readdir(root)).every((name) => !name.includes('.tmp-') && !name.includes('.old-'))).toBe(true);
  });

  it('refuses to replace a file', async () => {
    const file = path.join(root, 'model');
    await writeFile(file, 'x');
    expect(errorLine(await saveModelDirectory(file, first, 'axon test')())).toBe(
      `${file}: exists and is not a directory; refusing to replace it`,
    );
  });

  it('keeps the previous model and no temporary files when writing fails part-way', async () => {
    const dir = path.join(root, 'model');
    await saveModelDirectory(dir, first, 'axon test')();
    // The second file of the same name fails to open, after model.json is written.
    const result = await writeDirectoryAtomically(
      dir,
      [
        { name: 'model.json', contents: '{}' },
        { name: 'same', contents: 'a' },
        { name: 'same', contents: 'b' },
      ],
      modelDirectoryCheck(['model.json', 'same']),
    )();
    expect(errorLine(result)).toBe(`${dir}: cannot write the model: already exists`);
    expect(await loaded(dir)).toEqual(plainModel(modelAsWritten(first)));
    expect(await readdir(root)).toEqual(['model']);
  });

  it('removes what earlier saves left behind when their process died, and keeps what a running one is writing', async () => {
    const dir = path.join(root, 'model');
    // A process that has exited: its id names no running process (ids are not reused this fast).
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const stale = [`model.tmp-${dead}-0123456789ab`, `model.old-${dead}-ba9876543210`];
    for (const name of stale) {
      await mkdir(path.join(root, name));
      await writeFile(path.join(root, name, 'weights.bin'), '');
    }
    const live = path.basename(temporaryName(dir, 'tmp'));
    const unrelated = ['model.tmp-notes', `other.tmp-${dead}-0123456789ab`];
    for (const name of [live, ...unrelated]) await mkdir(path.join(root, name));
    expect(errorLine(await saveModelDirectory(dir, first, 'axon test')())).toBe('no error');
    expect((await readdir(root)).sort()).toEqual(['model', live, ...unrelated].sort());
  });

  it('reports an output path below a file as an io error naming it', async () => {
    await writeFile(path.join(root, 'file'), 'x');
    const dir = path.join(root, 'file', 'model');
    const result = await saveModelDirectory(dir, first, 'axon test')();
    expect(E.isLeft(result) && result.left.kind).toBe('io');
    expect(errorLine(result)).toMatch(
      new RegExp(`^${root}/file(/model)?: cannot .*: a parent path is not a directory$`),
    );
  });

  it('reports a missing model with the path of model.json', async () => {
    const dir = path.join(root, 'absent');
    expect(errorLine(await loadModel(dir)())).toBe(`${path.join(dir, 'model.json')}: cannot read: does not exist`);
  });

  it('reports a truncated weights file with its path', async () => {
    const dir = path.join(root, 'model');
    const model: SavedModel = {
      inputShape: [2],
      config: {
        kind: 'sequential',
        layers: [
          {
            kind: 'dense',
            units: 1,
            activation: 'linear',
            useBias: false,
            kernelInitializer: { kind: 'zeros' },
            biasInitializer: { kind: 'zeros' },
          },
        ],
      },
      params: [{ kernel: tensor([[1], [2]]) }],
      metadata: null,
    };
    await saveModelDirectory(dir, model, 'axon test')();
    const weights = path.join(dir, 'weights.bin');
    await writeFile(weights, (await readFile(weights)).subarray(0, 5));
    expect(errorLine(await loadModel(dir)())).toBe(
      `${weights}: expected 8 bytes (the float32 weights model.json lists), found 5`,
    );
  });

  it('reports a field error with the path of model.json', async () => {
    const dir = path.join(root, 'model');
    await saveModelDirectory(dir, first, 'axon test')();
    const jsonPath = path.join(dir, 'model.json');
    const json = JSON.parse(await readFile(jsonPath, 'utf8')) as { weightsManifest: unknown };
    json.weightsManifest = 'none';
    await writeFile(jsonPath, JSON.stringify(json));
    expect(errorLine(await loadModel(dir)())).toBe(
      `${jsonPath}: weightsManifest: expected a list of weight groups ({ paths, weights }), got "none"`,
    );
  });
});
