// Failures while working — bad data, a model that does not fit, damaged model files, an
// output that cannot be written, a diverging loss — exit with status 1 and one clear
// line on stderr, with or without --verbose (the stack is for unexpected errors only),
// and leave nothing behind.
import { cp, mkdir, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { encodeIdx } from '@axon/data';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { trainingEvents } from '../support/json-lines.js';
import { rawPng } from '../support/png-fixtures.js';
import { createSandbox, outcome, runAxon, type Sandbox, setupTimeoutMs, succeeded } from '../support/run-axon.js';
import { syntheticFileStems, type SyntheticIdx, writeSyntheticIdx } from '../support/synthetic-idx.js';

const trainCount = 320;
const testCount = 96;

let sandbox: Sandbox;
/** Good data, and a model trained on it. */
let data: SyntheticIdx;
let model: string;

beforeAll(async () => {
  sandbox = await createSandbox('failures');
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 31, classes: 4, trainCount, testCount });
  model = sandbox.path('model');
  succeeded(
    await runAxon(
      [
        'train',
        '--dataset',
        'idx',
        '--data-dir',
        data.dir,
        '--layers',
        '16',
        '--epochs',
        '1',
        '--backend',
        'js',
        '--out',
        model,
        '--quiet',
      ],
      { sandbox },
    ),
  );
}, setupTimeoutMs);

afterAll(() => sandbox.remove());

/** A copy of the good data or model under a new name, changed by `damage`. */
async function damagedCopy(source: string, name: string, damage: (dir: string) => Promise<void>): Promise<string> {
  const dir = sandbox.path(name);
  await cp(source, dir, { recursive: true });
  await damage(dir);
  return dir;
}

/** The parts of a model.json the damage below touches. */
interface ModelJsonFields {
  modelTopology: { config: { layers: { config: Record<string, unknown> }[] } };
  userDefinedMetadata?: unknown;
}
/** Rewrites fields of a model.json. */
const editModelJson = (edit: (json: ModelJsonFields) => void) => async (dir: string) => {
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(await readFile(file, 'utf8')) as ModelJsonFields;
  edit(json);
  await writeFile(file, JSON.stringify(json));
};

const u8 = (values: readonly number[]): Uint8Array =>
  encodeIdx({ type: 'u8', shape: [values.length], values: Uint8Array.from(values) });

/** `axon train` on `dataDir`, small and seeded; a later `--out` in `more` replaces the one given here. */
const trainOn = (dataDir: string, ...more: string[]): string[] => [
  'train',
  '--dataset',
  'idx',
  '--data-dir',
  dataDir,
  '--epochs',
  '1',
  '--layers',
  '8',
  '--seed',
  '1',
  '--backend',
  'js',
  '--out',
  sandbox.path('never'),
  ...more,
];
/** `axon evaluate` of `modelDir` on `dataDir`. */
const evaluateWith = (modelDir: string, dataDir = data.dir): string[] => [
  'evaluate',
  '--model',
  modelDir,
  '--data-dir',
  dataDir,
  '--backend',
  'js',
];

/** A failing command line: what it is run with, and what its one line must say. */
interface Failure {
  readonly title: string;
  /** The command line, once the files it needs exist. */
  readonly args: () => Promise<string[]>;
  /** Parts of the message, in order. */
  readonly says: readonly (string | RegExp)[];
  /**
   * Also run with --verbose, which must print the same line: set for failures that once
   * surfaced as exceptions from deep inside (and so printed a stack with --verbose),
   * and for one of each other kind.
   */
  readonly verbose?: true;
  /** Whether it fails once training has started; all others fail before printing anything on stdout. */
  readonly duringTraining?: true;
}

const failures: readonly Failure[] = [
  {
    title: 'a --data-dir that does not exist',
    args: async () => trainOn(sandbox.path('no-such-dir')),
    says: ['no-such-dir: no such directory'],
  },
  {
    title: 'a data directory without its test images',
    args: async () =>
      trainOn(
        await damagedCopy(data.dir, 'no-test-images', (dir) => rm(path.join(dir, syntheticFileStems.testImages))),
      ),
    says: ['t10k-images not found', 'no-test-images (dir option)'],
  },
  {
    title: 'a truncated images file',
    args: async () =>
      trainOn(
        await damagedCopy(data.dir, 'truncated-images', (dir) =>
          truncate(path.join(dir, syntheticFileStems.trainImages), 1000),
        ),
      ),
    says: ['train-images', 'file truncated'],
  },
  {
    title: 'a labels file that is not IDX',
    args: async () =>
      trainOn(
        await damagedCopy(data.dir, 'not-idx', (dir) =>
          writeFile(path.join(dir, syntheticFileStems.testLabels), 'label,image\n7,seven.png\n'),
        ),
      ),
    says: ['t10k-labels', 'not an IDX file'],
    verbose: true,
  },
  {
    title: 'fewer labels than images',
    args: async () =>
      trainOn(
        await damagedCopy(data.dir, 'few-labels', (dir) =>
          writeFile(path.join(dir, syntheticFileStems.trainLabels), u8([0, 1, 2])),
        ),
      ),
    says: ['train-labels', `3 labels for the ${trainCount} samples`],
  },
  {
    title: 'an empty test set',
    args: async () => trainOn((await writeSyntheticIdx(sandbox.path('empty-test'), { seed: 1, testCount: 0 })).dir),
    says: ['the idx test set is empty'],
    verbose: true,
  },
  {
    title: 'a test set with a class the training set lacks',
    args: async () =>
      trainOn(
        await damagedCopy(data.dir, 'extra-class', (dir) =>
          writeFile(path.join(dir, syntheticFileStems.testLabels), u8([...data.test.labels.slice(1), 5])),
        ),
      ),
    says: ['the idx test set has label 5, outside the 4 classes of the training set (0 to 3)'],
    verbose: true,
  },
  {
    title: 'a validation split that leaves nothing to train on',
    args: async () => trainOn(data.dir, '--limit', '1', '--validation-split', '0.5'),
    says: ['--validation-split 0.5 leaves no training or no validation samples out of 1'],
    verbose: true,
  },
  {
    title: 'an --out below a file',
    args: async () => {
      await writeFile(sandbox.path('a-file'), 'not a directory');
      return [...trainOn(data.dir), '--out', sandbox.path('a-file', 'model')];
    },
    says: [path.join('a-file', 'model'), 'a parent path is not a directory'],
    verbose: true,
  },
  {
    title: 'a loss that overflows',
    args: async () => trainOn(data.dir, '--optimizer', 'sgd', '--learning-rate', '1e10', '--epochs', '3'),
    says: [
      /the loss became (NaN|-?Infinity) at epoch \d+, step \d+ \(batch \d+\)/,
      'training stopped and nothing was written',
    ],
    verbose: true,
    duringTraining: true,
  },
  {
    title: 'a --model directory that does not exist',
    args: async () => evaluateWith(sandbox.path('no-model')),
    says: [path.join('no-model', 'model.json'), 'cannot read: does not exist'],
  },
  {
    title: 'a model.json that is not JSON',
    args: async () =>
      evaluateWith(
        await damagedCopy(model, 'model-not-json', (dir) =>
          writeFile(path.join(dir, 'model.json'), '{"format": "layers-model",'),
        ),
      ),
    says: ['model-not-json', 'model.json: not valid JSON'],
  },
  {
    title: 'a model.json with a corrupted field',
    args: async () =>
      evaluateWith(
        await damagedCopy(
          model,
          'model-bad-field',
          editModelJson((json) => (json.modelTopology.config.layers[1].config.units = 'sixteen')),
        ),
      ),
    says: ['model.json: modelTopology.config.layers[1].config.units: expected a positive integer, got "sixteen"'],
  },
  {
    title: 'a model.json whose layers disagree with its weights',
    args: async () =>
      evaluateWith(
        await damagedCopy(
          model,
          'model-wrong-units',
          editModelJson((json) => (json.modelTopology.config.layers[1].config.units = 17)),
        ),
      ),
    says: ['model.json: weightsManifest[0].weights[0].shape: expected [784, 17]'],
  },
  {
    title: 'a truncated weights.bin',
    args: async () =>
      evaluateWith(await damagedCopy(model, 'model-truncated', (dir) => truncate(path.join(dir, 'weights.bin'), 1000))),
    says: ['weights.bin: expected', 'found 1000'],
    verbose: true,
  },
  {
    title: 'a missing weights.bin',
    args: async () =>
      evaluateWith(await damagedCopy(model, 'model-no-weights', (dir) => rm(path.join(dir, 'weights.bin')))),
    says: ['weights.bin: cannot read: does not exist'],
  },
  {
    title: 'a model.json with a layer class axon does not read',
    args: async () =>
      evaluateWith(
        await damagedCopy(
          model,
          'model-conv3d',
          editModelJson((json) => Object.assign(json.modelTopology.config.layers[1], { class_name: 'Conv3D' })),
        ),
      ),
    says: [
      'model.json: modelTopology.config.layers[1].class_name: expected one of Activation, AveragePooling2D, AvgPool2D, BatchNormalization, Conv2D',
      'got "Conv3D"',
    ],
    verbose: true,
  },
  {
    title: 'a model.json nested 200,000 levels deep',
    args: async () =>
      evaluateWith(
        await damagedCopy(model, 'model-deep', (dir) =>
          writeFile(path.join(dir, 'model.json'), `${'['.repeat(200_000)}${']'.repeat(200_000)}`),
        ),
      ),
    says: ['model-deep', 'model.json: not valid JSON (nested deeper than 64 levels at character 64)'],
    verbose: true,
  },
  {
    title: 'a weights.bin holding NaN',
    args: async () =>
      evaluateWith(
        await damagedCopy(model, 'model-nan', async (dir) => {
          const weights = await readFile(path.join(dir, 'weights.bin'));
          new DataView(weights.buffer, weights.byteOffset).setFloat32(4 * 17, Number.NaN, true);
          await writeFile(path.join(dir, 'weights.bin'), weights);
        }),
      ),
    says: ['weights.bin: dense/kernel holds NaN at index 17 (element [1, 1] of [784, 16]); weights must be finite'],
    verbose: true,
  },
  {
    title: 'an --out holding a model.json that is not a model beside other files',
    args: async () => {
      const out = sandbox.path('never-thesis');
      await mkdir(out);
      await writeFile(path.join(out, 'model.json'), '{}');
      await writeFile(path.join(out, 'thesis.txt'), 'keep');
      return [...trainOn(data.dir), '--out', out];
    },
    says: ['never-thesis: holds a model.json that is not a valid model', 'refusing to replace it'],
  },
  {
    title: 'an --out holding a model beside other files',
    args: async () => {
      const out = sandbox.path('never-model-and-notes');
      await cp(model, out, { recursive: true });
      await writeFile(path.join(out, 'thesis.txt'), 'keep');
      return [...trainOn(data.dir), '--out', out];
    },
    says: ['never-model-and-notes: holds thesis.txt, which is not part of a model; refusing to replace it'],
  },
  {
    title: 'a model without axon metadata and no --dataset',
    args: async () => [
      'evaluate',
      '--model',
      await damagedCopy(
        model,
        'model-no-metadata',
        editModelJson((json) => delete json.userDefinedMetadata),
      ),
      '--backend',
      'js',
    ],
    says: ['--dataset is needed: the model does not say which data set it was trained on'],
  },
  {
    title: 'a model whose input does not fit the data',
    args: async () =>
      evaluateWith(model, (await writeSyntheticIdx(sandbox.path('small-images'), { seed: 2, side: 14 })).dir),
    says: ['the model takes inputs of shape [28,28] but the idx test set has samples of shape [14,14]'],
  },
  {
    title: 'data with more classes than the model',
    args: async () =>
      evaluateWith(model, (await writeSyntheticIdx(sandbox.path('six-classes'), { seed: 2, classes: 6 })).dir),
    says: [/the idx test set has label [45], outside the 4 classes of the model \(0 to 3\)/],
    verbose: true,
  },
  {
    title: 'a confusion chart in a directory that does not exist',
    args: async () => [...evaluateWith(model), '--confusion-svg', sandbox.path('no-dir', 'confusion.svg')],
    says: [path.join('no-dir', 'confusion.svg'), 'cannot write: does not exist'],
  },
  {
    title: 'an --image that is not a PNG',
    args: async () => [
      'predict',
      '--model',
      model,
      '--image',
      path.join(data.dir, syntheticFileStems.testImages),
      '--backend',
      'js',
    ],
    says: ['t10k-images: not a PNG image'],
  },
  {
    title: 'a PNG whose header claims 20000 × 20000 pixels (a decompression bomb)',
    args: async () => {
      const bomb = sandbox.path('bomb.png');
      await writeFile(
        bomb,
        rawPng(
          { width: 20000, height: 20000, bitDepth: 8, colorType: 6, interlaced: false },
          deflateSync(new Uint8Array(0)),
        ),
      );
      return ['predict', '--model', model, '--image', bomb, '--backend', 'js'];
    },
    says: ['bomb.png: the image is 20000 × 20000 pixels, more than the 16,777,216 (4096 × 4096) axon reads'],
    verbose: true,
  },
  {
    title: 'a PNG whose pixel data stops short',
    args: async () => {
      const short = sandbox.path('short.png');
      const header = { width: 40, height: 40, bitDepth: 8, colorType: 0, interlaced: false };
      await writeFile(short, rawPng(header, deflateSync(new Uint8Array(20 * 41))));
      return ['predict', '--model', model, '--image', short, '--backend', 'js'];
    },
    says: ['short.png: a damaged PNG image (its pixel data stops after 820 of 1,640 bytes)'],
  },
  {
    title: 'a test set of 14×56 samples beside a training set of 28×28 ones',
    args: async () =>
      trainOn(
        await damagedCopy(data.dir, 'wide-test', (dir) =>
          writeFile(
            path.join(dir, syntheticFileStems.testImages),
            encodeIdx({ type: 'u8', shape: [testCount, 14, 56], values: data.test.pixels }),
          ),
        ),
      ),
    says: ['the idx test set has samples of shape [14,56] but the training set has [28,28]'],
    verbose: true,
  },
  {
    title: 'a test set of 14×56 samples for a model of 28×28 inputs',
    args: async () =>
      evaluateWith(
        model,
        await damagedCopy(data.dir, 'wide-test-only', (dir) =>
          writeFile(
            path.join(dir, syntheticFileStems.testImages),
            encodeIdx({ type: 'u8', shape: [testCount, 14, 56], values: data.test.pixels }),
          ),
        ),
      ),
    says: ['the model takes inputs of shape [28,28] but the idx test set has samples of shape [14,56]'],
  },
  {
    title: 'a model far too large for any machine, refused before the data is read',
    args: async () => trainOn(sandbox.path('no-data-needed'), '--layers', '100000,100000'),
    says: [
      /the model needs about [\d.]+ GB to train \(10,000,400,001 parameters with adam\), more than the [\d.]+ GB allowed \(half of this machine's memory\)/,
      'raise --max-memory',
    ],
    verbose: true,
  },
  {
    title: 'a model larger than --max-memory, refused once the data shape is known',
    args: async () => trainOn(data.dir, '--max-memory', '1M'),
    says: [
      /the model needs about [\d.]+ MB to train \(6,316 parameters with adam\), more than the 1\.0 MB allowed \(--max-memory\)/,
    ],
  },
  {
    title: 'an --out path of 10,000 characters',
    args: async () => trainOn(data.dir, '--out', sandbox.path('x'.repeat(10_000), 'model')),
    // The path is named once, shortened to its first 40 and last 60 characters (the colon after it included).
    says: [/^axon train: \S{40}…x{53}\/model: cannot inspect the output path: the name is too long\n$/],
  },
  {
    title: 'an --index past the end of the test set',
    args: async () => [
      'predict',
      '--model',
      model,
      '--index',
      String(testCount),
      '--data-dir',
      data.dir,
      '--backend',
      'js',
    ],
    says: [`--index ${testCount}: the idx test set has ${testCount} images (0 to ${testCount - 1})`],
  },
];

/** A regular expression matching `parts` in order, each taken literally unless it is one already. */
const inOrder = (parts: readonly (string | RegExp)[]): RegExp =>
  new RegExp(
    parts
      .map((part) => (typeof part === 'string' ? part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : part.source))
      .join('.*'),
  );

describe.concurrent('a failure while working', () => {
  it.for(failures)(
    '$title: exits 1 with one line saying what is wrong, and writes nothing',
    async ({ args, says, verbose, duringTraining }, { expect }) => {
      const command = await args();
      const results = await Promise.all([
        runAxon(command, { sandbox }),
        ...(verbose ? [runAxon([...command, '--verbose'], { sandbox })] : []),
      ]);
      for (const result of results) {
        expect(result.status, outcome(result)).toBe(1);
        expect(result.stderr).toMatch(/^axon (train|evaluate|predict): [^\n]+\n$/);
        expect(result.stderr).toBe(results[0].stderr);
        if (duringTraining) expect(result.stdout).toMatch(/^Training on idx: [^]*\n$/);
        else expect(result.stdout).toBe('');
        expect(result.stdout).not.toMatch(/model written to/);
      }
      expect(results[0].stderr).toMatch(inOrder(says));
      const leftovers = (await readdir(sandbox.root)).filter(
        (name) => (name.startsWith('never') && !name.startsWith('never-')) || /\.(tmp|old)-/.test(name),
      );
      expect(leftovers).toEqual([]);
    },
  );

  it('leaves a directory it refused to replace as it was', async ({ expect }) => {
    const notes = sandbox.path('kept-notes');
    await mkdir(notes);
    await writeFile(path.join(notes, 'todo.txt'), 'keep me');
    const result = await runAxon([...trainOn(data.dir), '--out', notes], { sandbox });
    expect(result.status, outcome(result)).toBe(1);
    // Refused before training, not after it.
    expect(result.stdout).toBe('');
    expect(await readdir(notes)).toEqual(['todo.txt']);
    expect(await readFile(path.join(notes, 'todo.txt'), 'utf8')).toBe('keep me');
  });

  it('with --json, a loss that overflows ends the JSON lines with an error event carrying the message', async ({
    expect,
  }) => {
    const result = await runAxon(trainOn(data.dir, '--optimizer', 'sgd', '--learning-rate', '1e10', '--json'), {
      sandbox,
    });
    expect(result.status, outcome(result)).toBe(1);
    const events = trainingEvents(result.stdout);
    expect(events[0]).toMatchObject({ event: 'start' });
    expect(events.at(-1)).toEqual({ event: 'error', message: result.stderr.trimEnd() });
  });
});
