import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { adam, fit, initTrainState, layers, losses, type EpochLog } from '@axon/nn';
import { key, normal, Tensor, tensor, type TensorTree } from '@axon/tensor';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, renderModelFileError, type Checkpoint } from '../src/index.js';
import { checkpointWriter, freshCheckpoint, loadCheckpoint, loadModel, trainStateOf } from '../src/edge/index.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'axon-checkpoint-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A tree with tensors as `{ dtype, shape, bits }` (exact bytes), for comparing bit for bit. */
const exactly = (tree: unknown): unknown => {
  if (tree instanceof Tensor)
    return {
      dtype: tree.dtype,
      shape: tree.shape,
      bits: Array.from(new Uint8Array(Float64Array.from(tree.values).buffer)),
    };
  if (typeof tree === 'number') return Object.is(tree, -0) ? '-0' : Number.isNaN(tree) ? 'NaN' : tree;
  if (Array.isArray(tree)) return tree.map(exactly);
  if (typeof tree === 'object' && tree !== null)
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, exactly(v)]));
  return tree;
};

const leaf = fc.oneof(
  fc.double(),
  fc.constantFrom(-0, Number.NaN, Infinity, -Infinity),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc
    .array(fc.float({ noNaN: false }), { maxLength: 6 })
    .map((values) => tensor(Float32Array.from(values), { shape: [values.length] })),
  fc.array(fc.double(), { minLength: 1, maxLength: 4 }).map((values) => tensor(values, { dtype: 'float64' })),
  fc.array(fc.integer(), { maxLength: 4 }).map((values) => tensor(values, { dtype: 'int32', shape: [values.length] })),
);
const { tree: stateTree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('$tensor', '$number', '$record')), tie('tree'), { maxKeys: 3 }),
  ),
}));

const checkpointWith = (optState: unknown): Checkpoint => ({
  epoch: 3,
  step: 42,
  key: key(7),
  params: [{ kernel: tensor([[1, 2]]) }],
  optState,
  modelState: {},
  history: [{ epoch: 1, loss: Number.NaN, accuracy: 0.5 }],
  settings: { note: 'test' },
});

describe('encodeCheckpoint / decodeCheckpoint', () => {
  it('gives back any optimizer state tree exactly: tensors of every dtype bit for bit, -0, NaN, infinities, tagged-looking keys', () => {
    fc.assert(
      fc.property(stateTree, (optState) => {
        const files = encodeCheckpoint(checkpointWith(optState));
        if (E.isLeft(files)) throw new Error(renderModelFileError(files.left));
        const back = decodeCheckpoint(files.right.json, files.right.data);
        if (E.isLeft(back)) throw new Error(renderModelFileError(back.left));
        expect(exactly(back.right)).toEqual(exactly(checkpointWith(optState)));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses state it cannot store, naming where it is', () => {
    const result = encodeCheckpoint(checkpointWith([{ count: 1, schedule: (step: number) => step }]));
    expect(E.isLeft(result) && renderModelFileError(result.left)).toBe(
      'cannot save the model: cannot checkpoint: optState/0/schedule holds a function, which a checkpoint cannot store (tensors, numbers, strings, booleans, arrays and plain records only)',
    );
  });

  it('refuses damaged files with one line naming the file, never throwing', () => {
    const files = encodeCheckpoint(checkpointWith({ mu: tensor([1, 2, 3]) }));
    if (E.isLeft(files)) throw new Error('encode failed');
    const { json, data } = files.right;
    const line = (text: string, bytes: Uint8Array): string => {
      const result = decodeCheckpoint(text, bytes);
      return E.isLeft(result) ? renderModelFileError(result.left) : 'decoded';
    };
    expect(line(json, data.subarray(0, 8))).toMatch(
      /^checkpoint\.json, checkpoint\.bin: optState\/mu: its 12 bytes at \d+ run past the end of the data \(8 bytes\)$/,
    );
    expect(line(json.replace('"formatVersion":1', '"formatVersion":2'), data)).toBe(
      'checkpoint.json: formatVersion: expected 1 (the checkpoint format this axon reads), got 2',
    );
    expect(line(json.replace('"step":42', '"step":-1'), data)).toBe(
      'checkpoint.json: step: expected a non-negative integer, got -1',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.nat(json.length).map((n) => json.slice(0, n)),
        ),
        fc.uint8Array({ maxLength: 64 }),
        (text, bytes) => {
          const rendered = line(text, bytes);
          expect(rendered).not.toMatch(/\n/);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('checkpoints of fit', () => {
  /** A small classification problem and a model with dropout (so the PRNG key matters) and Adam. */
  const x = normal(key(1), [96, 6]);
  const y = tensor(
    Array.from({ length: 96 }, (_, i) => i % 3),
    { dtype: 'int32' },
  );
  const model = layers.sequential([
    layers.dense(8, { activation: 'relu' }),
    layers.dropout(0.3),
    layers.dense(3, { activation: 'softmax' }),
  ]);
  const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-2) };
  const options = { batchSize: 16, validationSplit: 0.25 };
  const withoutSeconds = (history: readonly EpochLog[]): unknown => history.map(({ seconds: _, ...rest }) => rest);

  it('4 epochs straight and 2 epochs + checkpoint files + 2 more give bit-identical params, optimizer state and history', async () => {
    const initial = initTrainState(plan, key(3), [6]);
    const straight = await fit(plan, initial, { x, y }, { ...options, epochs: 4 });

    const dir = path.join(root, 'run');
    const writer = checkpointWriter(dir, {
      every: 2,
      model,
      inputShape: [6],
      start: freshCheckpoint(initial, { plan: 'test' }),
    });
    const first = await fit(plan, initial, { x, y }, { ...options, epochs: 3, callbacks: [writer.callbacks] });
    expect(first.stopReason).toBe('completed');
    expect(writer.failure()).toBeUndefined();
    // Written after epoch 2 only (every 2); epoch 3 was not written.
    const loaded = await loadCheckpoint(dir)();
    if (E.isLeft(loaded)) throw new Error(renderModelFileError(loaded.left));
    const { checkpoint } = loaded.right;
    expect(checkpoint.epoch).toBe(2);
    expect(checkpoint.settings).toEqual({ plan: 'test' });

    const resumed = await fit(
      plan,
      trainStateOf(checkpoint),
      { x, y },
      { ...options, initialEpoch: checkpoint.epoch, epochs: 4 },
    );
    expect(exactly(resumed.state.params)).toEqual(exactly(straight.state.params));
    expect(exactly(resumed.state.optState)).toEqual(exactly(straight.state.optState));
    expect(resumed.state.step).toBe(straight.state.step);
    expect(withoutSeconds([...checkpoint.history, ...resumed.history])).toEqual(withoutSeconds(straight.history));
  });

  it('a checkpoint directory is also a model directory, and save() writes the last finished epoch on demand', async () => {
    const initial = initTrainState(plan, key(4), [6]);
    const dir = path.join(root, 'on-demand');
    const writer = checkpointWriter(dir, { model, inputShape: [6], start: freshCheckpoint(initial, {}) });
    let batches = 0;
    const stopped = await fit(
      plan,
      initial,
      { x, y },
      { ...options, epochs: 5, callbacks: [writer.callbacks], shouldStop: () => ++batches > 8 },
    );
    expect(stopped.stopReason).toBe('shouldStop');
    expect(await readdir(root)).not.toContain('on-demand');
    const saved = await writer.save()();
    expect(E.map((c: Checkpoint) => c.epoch)(saved)).toEqual(E.right(1));
    expect((await readdir(dir)).sort()).toEqual(['checkpoint.bin', 'checkpoint.json', 'model.json', 'weights.bin']);
    const asModel = await loadModel(dir)();
    const params = E.map((m: { params: readonly TensorTree[] }) => exactly(m.params))(asModel);
    expect(params).toEqual(E.right(exactly(writer.latest().params)));
  });
});
