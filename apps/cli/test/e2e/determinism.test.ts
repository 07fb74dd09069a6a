// A seed makes a run repeatable to the byte, and the wasm backend gives the same bytes
// whatever its thread count. Both backends that run everywhere train.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSavedModel } from '../support/model-files.js';
import { referenceEvaluation } from '../support/reference-evaluation.js';
import { createSandbox, linesOf, runAxon, type Sandbox, setupTimeoutMs, succeeded } from '../support/run-axon.js';
import { type SyntheticIdx, writeSyntheticIdx } from '../support/synthetic-idx.js';

let sandbox: Sandbox;
let data: SyntheticIdx;

/** The runs compared below: the directory each writes to, its seed and its backend options. */
const runs = {
  'js-a': { seed: 7, backend: ['js'] },
  'js-b': { seed: 7, backend: ['js'] },
  'js-other-seed': { seed: 8, backend: ['js'] },
  'wasm-1-thread': { seed: 7, backend: ['wasm', '--threads', '1'] },
  'wasm-2-threads': { seed: 7, backend: ['wasm', '--threads', '2'] },
} as const;
type RunName = keyof typeof runs;
let weights: Record<RunName, Buffer>;

/** Trains one of the runs and returns the bytes of its weights.bin. */
async function trainedWeights(out: RunName): Promise<Buffer> {
  const { seed, backend } = runs[out];
  // Dropout and a validation split, so the seed has every random choice to decide.
  const args = [
    'train',
    '--dataset',
    'idx',
    '--data-dir',
    data.dir,
    '--epochs',
    '2',
    '--layers',
    '64,32',
    '--dropout',
    '0.2',
    '--validation-split',
    '0.2',
    '--batch-size',
    '32',
  ];
  const { stdout } = succeeded(
    await runAxon([...args, '--seed', String(seed), '--backend', ...backend, '--out', out, '--quiet'], { sandbox }),
  );
  // --quiet: only the closing line.
  expect(linesOf(stdout)).toEqual([expect.stringMatching(new RegExp(`^test accuracy .*, model written to ${out}$`))]);
  return readFile(path.join(sandbox.root, out, 'weights.bin'));
}

beforeAll(async () => {
  sandbox = await createSandbox('determinism');
  data = await writeSyntheticIdx(sandbox.path('data'), { seed: 41, classes: 6 });
  const names = Object.keys(runs) as RunName[];
  const trained = await Promise.all(names.map(trainedWeights));
  weights = Object.fromEntries(names.map((name, i) => [name, trained[i]])) as Record<RunName, Buffer>;
}, setupTimeoutMs);

afterAll(() => sandbox.remove());

describe('axon train --seed', () => {
  it('gives byte-identical weights.bin for the same seed, and different weights for another seed', () => {
    expect(weights['js-a'].equals(weights['js-b'])).toBe(true);
    expect(weights['js-a'].equals(weights['js-other-seed'])).toBe(false);
  });

  it('gives byte-identical weights on the wasm backend with 1 thread and with 2', () => {
    expect(weights['wasm-1-thread'].length).toBeGreaterThan(0);
    expect(weights['wasm-1-thread'].equals(weights['wasm-2-threads'])).toBe(true);
  });
});

describe('axon train --backend', () => {
  it.for(['js-a', 'wasm-1-thread'] as const)('%s: the model has learned the generated classes', async (out) => {
    const model = await loadSavedModel(sandbox.path(out));
    expect(referenceEvaluation(model, data.test, data.classes).accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
