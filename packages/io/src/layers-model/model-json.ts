import * as t from 'io-ts';
import { NonNegativeInteger } from '../codec/numbers.js';
import { oneOf } from '../codec/one-of.js';
import { Text } from '../codec/primitives.js';

// The TensorFlow.js layers-model format (`model.json`), as tfjs-core's `ModelJSON` and
// tfjs-layers' `loadLayersModel` define it, narrowed to what axon reads: a Keras
// `Sequential` topology and unquantized float32 weights. This file checks the envelope;
// each layer's class and config are checked by its entry in `layer-kinds/`, so that an
// unknown class is reported by name with the classes axon reads.

const isJsonObject = (u: unknown): u is JsonObject => typeof u === 'object' && u !== null && !Array.isArray(u);

/** A JSON object (not an array, not null), its fields unchecked. */
export const JsonObject = new t.Type<JsonObject, JsonObject, unknown>(
  'an object',
  isJsonObject,
  (u, c) => (isJsonObject(u) ? t.success(u) : t.failure(u, c)),
  (object) => object,
);
/** A JSON object. */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * One layer of a topology: a Keras class name and its config, as `get_config()` writes
 * it (Keras 3 adds `module` and `registered_name`, which are ignored).
 */
export const LayerJson = t.type(
  {
    class_name: Text,
    config: JsonObject,
  },
  'a layer ({ class_name, config })',
);
/** One layer of the topology. */
export type LayerJson = t.TypeOf<typeof LayerJson>;

/** A Keras `Sequential` model's `get_config()`, wrapped in its class name. */
export const SequentialTopology = t.intersection(
  [
    t.type({
      class_name: t.literal('Sequential'),
      config: t.intersection(
        [t.type({ layers: t.readonlyArray(LayerJson, 'a list of layers') }), t.partial({ name: Text })],
        'a Sequential config ({ name, layers })',
      ),
    }),
    t.partial({ keras_version: Text, backend: Text }),
  ],
  'a Keras Sequential topology ({ class_name, config })',
);
/** A sequential topology. */
export type SequentialTopology = t.TypeOf<typeof SequentialTopology>;

/** The Keras converter's `modelTopology`: the topology under `model_config`, beside a `training_config`. */
const WrappedTopology = t.type({ model_config: SequentialTopology }, 'a Keras topology ({ model_config })');

/**
 * `modelTopology`: the Sequential topology itself (as TensorFlow.js writes it) or
 * wrapped in `model_config` (as the Keras converter writes it). The wrapper is
 * recognized by its key, so an error reports the one shape the file meant.
 */
const ModelTopology = new t.Type<
  SequentialTopology | t.TypeOf<typeof WrappedTopology>,
  t.OutputOf<typeof SequentialTopology> | t.OutputOf<typeof WrappedTopology>,
  unknown
>(
  'a Keras Sequential topology ({ class_name, config })',
  (u): u is SequentialTopology | t.TypeOf<typeof WrappedTopology> => SequentialTopology.is(u) || WrappedTopology.is(u),
  (u, c) =>
    typeof u === 'object' && u !== null && 'model_config' in u
      ? WrappedTopology.validate(u, c)
      : SequentialTopology.validate(u, c),
  (a) => ('model_config' in a ? WrappedTopology.encode(a) : SequentialTopology.encode(a)),
);

const isPlainFileName = (u: unknown): u is string =>
  typeof u === 'string' && u !== '' && u !== '.' && u !== '..' && !/[/\\\0]/.test(u);

/**
 * A plain file name, as the manifest names weights files and as a model directory's
 * files are named: a model file can never make axon read outside its own directory.
 */
export const PlainFileName = new t.Type<string, string, unknown>(
  'a file name beside model.json (no directories)',
  isPlainFileName,
  (u, c) => (isPlainFileName(u) ? t.success(u) : t.failure(u, c)),
  (name) => name,
);

/** A manifest entry: the name, shape and dtype of one weight tensor. */
const WeightEntry = t.intersection(
  [
    t.type({
      name: Text,
      shape: t.readonlyArray(NonNegativeInteger, 'a shape (a list of non-negative integers)'),
      dtype: t.literal('float32', '"float32" (axon reads float32 weights only)'),
    }),
    t.partial({
      /** `optimizer` entries hold optimizer state, which a model does not need. */
      group: oneOf(['model', 'optimizer']),
      quantization: new t.Type<undefined, undefined, unknown>(
        'no quantization (axon reads unquantized weights only)',
        (u): u is undefined => u === undefined,
        (u, c) => (u === undefined ? t.success(undefined) : t.failure(u, c)),
        () => undefined,
      ),
    }),
  ],
  'a weight entry ({ name, shape, dtype })',
);

/** A manifest group: weights stored, in order, across the concatenation of `paths`. */
const WeightGroup = t.type(
  {
    paths: t.readonlyArray(PlainFileName, 'a list of file names'),
    weights: t.readonlyArray(WeightEntry, 'a list of weight entries'),
  },
  'a weight group ({ paths, weights })',
);

/**
 * `userDefinedMetadata`: whatever the writer keeps beside the model, as a JSON object
 * (TensorFlow.js keeps it and ignores it when running the model). Each writer keeps
 * its own key; axon's command line uses `axon`.
 */
export const UserMetadata = JsonObject;
/** What a model file keeps beside the model under `userDefinedMetadata`. */
export type UserMetadata = JsonObject;

/** The whole of `model.json`. */
export const ModelJson = t.intersection(
  [
    t.type({
      modelTopology: ModelTopology,
      weightsManifest: t.readonlyArray(WeightGroup, 'a list of weight groups ({ paths, weights })'),
    }),
    t.partial({
      format: t.literal('layers-model'),
      generatedBy: Text,
      convertedBy: t.union([Text, t.null]),
      userDefinedMetadata: UserMetadata,
    }),
  ],
  'a TensorFlow.js layers model ({ modelTopology, weightsManifest, … })',
);
/** A decoded `model.json`. */
export type ModelJson = t.TypeOf<typeof ModelJson>;
