import type { EpochLog } from '@axon/nn';
import { Tensor, type Backend, type PRNGKey, type TensorTree } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { decodeFirstProblem } from '../codec/decode-problem.js';
import { NonNegativeInteger } from '../codec/numbers.js';
import { tooDeepAt, maxJsonDepth } from '../layers-model/json-depth.js';
import type { ModelFileError } from '../layers-model/model-file-error.js';
import { JsonObject } from '../layers-model/model-json.js';
import { checkpointDataFile, checkpointJsonFile } from './file-names.js';
import { decodeTree, encodeTree, type StateTree, type TensorEntry, TensorSink } from './state-tree.js';

/**
 * Everything a training run needs to continue exactly where it stopped, after a whole
 * number of epochs: `fit`'s training state (params, optimizer state, the model's own
 * state, the step count and the PRNG key), the epochs done, the history so far, and
 * the settings the run was started with (whatever the trainer needs to refuse a
 * resume that contradicts them).
 */
export interface Checkpoint {
  /** Epochs finished; training resumes with the next (Keras's `initial_epoch`). */
  readonly epoch: number;
  /** Optimizer updates made so far (`TrainState.step`). */
  readonly step: number;
  /** The training key dropout masks and epoch shuffles derive from (`TrainState.key`). */
  readonly key: PRNGKey;
  readonly params: TensorTree;
  /** Whatever tree the optimizer keeps: tensors, counts, nested tuples and records. */
  readonly optState: unknown;
  /** The model's state (`TrainState.modelState`), `{}` for a model without stateful layers. */
  readonly modelState: TensorTree;
  /** One log per finished epoch, from the first. */
  readonly history: readonly EpochLog[];
  readonly settings: JsonObject;
}

/** The two files of a checkpoint: its description and its tensors' bytes. */
export interface CheckpointFiles {
  readonly json: string;
  readonly data: Uint8Array;
}

const formatName = 'axon-checkpoint';

/**
 * Encodes a checkpoint as `checkpoint.json` (the trees' structure with tensors as
 * references, numbers JSON cannot spell exactly tagged) and `checkpoint.bin` (every
 * tensor's bytes, little-endian, in its own dtype): restoring gives back bit-identical
 * tensors. Left names the part of the state a checkpoint cannot hold.
 *
 * @example
 * encodeCheckpoint({ epoch: 2, step: 938, key, params, optState, modelState: {}, history, settings: {} });
 * // right({ json: '{"format":"axon-checkpoint",…}', data: Uint8Array […] })
 */
export function encodeCheckpoint(checkpoint: Checkpoint): E.Either<ModelFileError, CheckpointFiles> {
  const sink = new TensorSink();
  const trees: Record<string, unknown> = {};
  for (const part of ['params', 'optState', 'modelState', 'history'] as const) {
    const encoded = encodeTree(checkpoint[part], sink, part);
    if (E.isLeft(encoded)) return E.left({ kind: 'model', message: `cannot checkpoint: ${encoded.left}` });
    trees[part] = encoded.right;
  }
  const json = {
    format: formatName,
    formatVersion: 1,
    epoch: checkpoint.epoch,
    step: checkpoint.step,
    key: [checkpoint.key[0], checkpoint.key[1]],
    settings: checkpoint.settings,
    ...trees,
    tensors: sink.entries,
  };
  return E.right({ json: `${JSON.stringify(json)}\n`, data: sink.bytes() });
}

const Uint32 = new t.Type<number, number, unknown>(
  'a 32-bit unsigned integer',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0 && u < 2 ** 32,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u >= 0 && u < 2 ** 32 ? t.success(u) : t.failure(u, c)),
  (n) => n,
);

const TensorEntryJson = t.type(
  {
    dtype: t.keyof({ float32: null, float64: null, int32: null, bool: null }, 'one of float32, float64, int32, bool'),
    shape: t.readonlyArray(NonNegativeInteger, 'a shape (a list of non-negative integers)'),
    offset: NonNegativeInteger,
  },
  'a tensor entry ({ dtype, shape, offset })',
);

const CheckpointJson = t.type(
  {
    format: t.literal(formatName, `"${formatName}"`),
    formatVersion: t.literal(1, '1 (the checkpoint format this axon reads)'),
    epoch: NonNegativeInteger,
    step: NonNegativeInteger,
    key: t.tuple([Uint32, Uint32], 'a PRNG key ([hi, lo])'),
    settings: JsonObject,
    params: t.unknown,
    optState: t.unknown,
    modelState: t.unknown,
    history: t.unknown,
    tensors: t.readonlyArray(TensorEntryJson, 'a list of tensor entries'),
  },
  'an axon checkpoint ({ format, epoch, step, key, params, optState, … })',
);

/** Optional numbers of an epoch log: NaN when training diverged, absent when not measured. */
const MaybeNumber = t.union([t.number, t.undefined]);
const EpochLogJson = t.readonlyArray(
  t.type(
    {
      epoch: t.number,
      loss: t.number,
      accuracy: MaybeNumber,
      valLoss: MaybeNumber,
      valAccuracy: MaybeNumber,
      seconds: MaybeNumber,
    },
    'an epoch log ({ epoch, loss, … })',
  ),
  'a list of epoch logs',
);

/** A PRNG key from its two words, as `key` and `split` make them (frozen, so never changed). */
const keyOf = (words: readonly [number, number]): PRNGKey => Object.freeze([words[0], words[1]]) as unknown as PRNGKey;

const isTensorTree = (tree: StateTree): tree is TensorTree =>
  tree instanceof Tensor ||
  (typeof tree === 'object' &&
    tree !== null &&
    (Array.isArray(tree) ? tree.every(isTensorTree) : Object.values(tree).every(isTensorTree)));

/**
 * Decodes `checkpoint.json` and `checkpoint.bin`, every field checked, tensors placed
 * on `backend` (the plain TypeScript one unless given). Left is one error naming the
 * file and the field.
 *
 * @example
 * decodeCheckpoint(json, data); // right({ epoch: 2, step: 938, key, params, optState, … })
 */
export function decodeCheckpoint(
  text: string,
  data: Uint8Array,
  backend?: Backend,
): E.Either<ModelFileError, Checkpoint> {
  const deep = tooDeepAt(text);
  if (deep !== undefined)
    return E.left({
      kind: 'json',
      file: checkpointJsonFile,
      message: `nested deeper than ${maxJsonDepth} levels at character ${deep}`,
    });
  const json = E.tryCatch(
    (): unknown => JSON.parse(text),
    (error): ModelFileError => ({ kind: 'json', file: checkpointJsonFile, message: String(error) }),
  );
  return pipe(
    json,
    E.chain((parsed) =>
      E.mapLeft((problem: Parameters<typeof fieldErrorIn>[0]) => fieldErrorIn(problem))(
        decodeFirstProblem(CheckpointJson, parsed),
      ),
    ),
    E.chain((envelope) => {
      const tree = (part: 'params' | 'optState' | 'modelState' | 'history'): E.Either<ModelFileError, StateTree> =>
        E.mapLeft((message: string): ModelFileError => ({
          kind: 'weights',
          file: `${checkpointJsonFile}, ${checkpointDataFile}`,
          message,
        }))(decodeTree(envelope[part], envelope.tensors as readonly TensorEntry[], data, part, backend));
      return pipe(
        E.Do,
        E.bind('params', () => tree('params')),
        E.bind('optState', () => tree('optState')),
        E.bind('modelState', () => tree('modelState')),
        E.bind('history', () => tree('history')),
        E.chain((trees) => {
          if (!isTensorTree(trees.params))
            return E.left(fieldErrorIn({ path: ['params'], expected: 'a tree of tensors', value: envelope.params }));
          if (!isTensorTree(trees.modelState))
            return E.left(
              fieldErrorIn({ path: ['modelState'], expected: 'a tree of tensors', value: envelope.modelState }),
            );
          return pipe(
            decodeFirstProblem(EpochLogJson, trees.history),
            E.mapLeft((problem) => fieldErrorIn({ ...problem, path: ['history', ...problem.path] })),
            E.map((history): Checkpoint => ({
              epoch: envelope.epoch,
              step: envelope.step,
              key: keyOf(envelope.key),
              params: trees.params as TensorTree,
              optState: trees.optState,
              modelState: trees.modelState as TensorTree,
              history: history.map(
                (log) =>
                  Object.fromEntries(Object.entries(log).filter(([, v]) => v !== undefined)) as unknown as EpochLog,
              ),
              settings: envelope.settings,
            })),
          );
        }),
      );
    }),
  );
}

const fieldErrorIn = (problem: {
  readonly path: readonly (string | number)[];
  readonly expected: string;
  readonly value: unknown;
}): ModelFileError => ({
  kind: 'field',
  file: checkpointJsonFile,
  problem,
});
