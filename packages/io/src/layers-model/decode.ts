import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { decodeFirstProblem, type PathSegment } from '../codec/decode-problem.js';
import { modelJsonFile } from './file-names.js';
import { fieldError, type ModelFileError } from './model-file-error.js';
import { type LayerJson, ModelJson, type SequentialTopology } from './model-json.js';
import type { LayerSpec, SavedModel } from './saved-model.js';
import { bytesPerFloat32, elementCount, type LayerOutline, type WeightLayout, weightLayout } from './weight-layout.js';

/**
 * Parses and validates the text of `model.json`. Every structural problem comes back
 * as a field error naming the path, e.g. `modelTopology.config.layers[1].config.units`.
 *
 * @example
 * parseModelJson('{"format":"graph-model"}');
 * // left({ kind: 'field', file: 'model.json', problem: { path: ['modelTopology'], … } })
 */
export function parseModelJson(text: string): E.Either<ModelFileError, ModelJson> {
  return pipe(
    E.tryCatch(
      (): unknown => JSON.parse(text),
      (error): ModelFileError => ({ kind: 'json', file: modelJsonFile, message: String(error) }),
    ),
    E.chain((json) =>
      pipe(
        decodeFirstProblem(ModelJson, json),
        E.mapLeft((problem): ModelFileError => ({ kind: 'field', file: modelJsonFile, problem })),
      ),
    ),
  );
}

/**
 * The weights files a model's manifest names, in the order their contents are
 * concatenated.
 *
 * @example
 * weightFileNames(modelJson); // ['weights.bin']
 */
export function weightFileNames(json: ModelJson): string[] {
  return json.weightsManifest.flatMap((group) => [...group.paths]);
}

/** A layer of the topology with where it sits in `model.json`. */
interface LocatedLayer {
  readonly layer: Exclude<LayerJson, { class_name: 'InputLayer' }>;
  readonly path: readonly PathSegment[];
}

/** What the topology says: the input shape and the layers after any `InputLayer`. */
interface Architecture {
  readonly inputShape: readonly number[];
  readonly layers: readonly LocatedLayer[];
}

function topologyOf(json: ModelJson): { topology: SequentialTopology; path: PathSegment[] } {
  const topology = json.modelTopology;
  return 'model_config' in topology
    ? { topology: topology.model_config, path: ['modelTopology', 'model_config'] }
    : { topology, path: ['modelTopology'] };
}

const fixedShapeExpected = 'a fixed sample shape such as [null, 784] (only the batch size may be null)';

function inputShapeOf(first: LayerJson, path: readonly PathSegment[]): E.Either<ModelFileError, readonly number[]> {
  const config = first.config;
  if (config.batch_input_shape !== undefined) {
    const sample = config.batch_input_shape.slice(1);
    return sample.length > 0 && sample.every((size): size is number => size !== null)
      ? E.right(sample)
      : E.left(fieldError([...path, 'config', 'batch_input_shape'], fixedShapeExpected, config.batch_input_shape));
  }
  if (config.input_shape !== undefined && config.input_shape.length > 0) return E.right(config.input_shape);
  return E.left(
    fieldError([...path, 'config', 'batch_input_shape'], 'the input shape on the first layer, such as [null, 784]', undefined),
  );
}

function architectureOf(json: ModelJson): E.Either<ModelFileError, Architecture> {
  const { topology, path } = topologyOf(json);
  const layersPath: PathSegment[] = [...path, 'config', 'layers'];
  const all = topology.config.layers;
  const skip = all.length > 0 && all[0].class_name === 'InputLayer' ? 1 : 0;
  const layers: LocatedLayer[] = [];
  const names = new Set<string>();
  for (let i = skip; i < all.length; i++) {
    const layer = all[i];
    const layerPath = [...layersPath, i];
    if (layer.class_name === 'InputLayer') {
      const expected = 'a layer class other than InputLayer after the first layer';
      return E.left(fieldError([...layerPath, 'class_name'], expected, layer.class_name));
    }
    if (names.has(layer.config.name)) {
      const expected = 'a layer name not used by an earlier layer';
      return E.left(fieldError([...layerPath, 'config', 'name'], expected, layer.config.name));
    }
    names.add(layer.config.name);
    layers.push({ layer, path: layerPath });
  }
  if (layers.length === 0) return E.left(fieldError(layersPath, 'at least one layer (besides an InputLayer)', all));
  return pipe(
    inputShapeOf(all[0], [...layersPath, 0]),
    E.map((inputShape) => ({ inputShape, layers })),
  );
}

const kindOfClass = { Dense: 'dense', Dropout: 'dropout', Flatten: 'flatten', Activation: 'activation' } as const;

/** Keras' default: a dense layer has a bias unless `use_bias` says otherwise. */
const usesBias = (config: { readonly use_bias?: boolean }): boolean => config.use_bias ?? true;

function outlineOfLocated({ layer }: LocatedLayer): LayerOutline {
  return layer.class_name === 'Dense'
    ? { kind: 'dense', name: layer.config.name, units: layer.config.units, useBias: usesBias(layer.config) }
    : { kind: kindOfClass[layer.class_name], name: layer.config.name };
}

/** A manifest entry with its place in `model.json` and its byte offset in the weights data. */
interface LocatedEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly path: readonly PathSegment[];
  readonly offset: number;
}

/** Lists the model's entries (not the optimizer's) with their offsets, and the total byte count. */
function locateEntries(json: ModelJson): { entries: LocatedEntry[]; totalBytes: number } {
  const entries: LocatedEntry[] = [];
  let offset = 0;
  json.weightsManifest.forEach((group, g) =>
    group.weights.forEach((entry, w) => {
      if (entry.group !== 'optimizer') {
        entries.push({ name: entry.name, shape: entry.shape, path: ['weightsManifest', g, 'weights', w], offset });
      }
      offset += elementCount(entry.shape) * bytesPerFloat32;
    }),
  );
  return { entries, totalBytes: offset };
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((size, i) => size === b[i]);

/**
 * Finds the manifest entry of every weight the layers need, in slot order, checking
 * that names are unique, none is missing or extra, and shapes agree.
 */
function matchEntries(
  layout: WeightLayout,
  entries: readonly LocatedEntry[],
  architecture: Architecture,
): E.Either<ModelFileError, readonly LocatedEntry[]> {
  const byName = new Map<string, LocatedEntry>();
  for (const entry of entries) {
    if (byName.has(entry.name)) {
      return E.left(fieldError([...entry.path, 'name'], 'a weight name not listed before', entry.name));
    }
    byName.set(entry.name, entry);
  }
  const needed = new Set(layout.slots.map((slot) => slot.name));
  const extra = entries.find((entry) => !needed.has(entry.name));
  if (extra !== undefined) {
    return E.left(fieldError([...extra.path, 'name'], 'the name of a weight that one of the layers has', extra.name));
  }
  return pipe(
    layout.slots,
    E.traverseArray((slot): E.Either<ModelFileError, LocatedEntry> => {
      const owner = `the ${slot.role} of layer "${architecture.layers[slot.layer].layer.config.name}"`;
      const entry = byName.get(slot.name);
      if (entry === undefined) {
        return E.left(fieldError(['weightsManifest'], `an entry named "${slot.name}" (${owner})`, undefined));
      }
      return sameShape(entry.shape, slot.shape)
        ? E.right(entry)
        : E.left(fieldError([...entry.path, 'shape'], `[${slot.shape.join(', ')}] (${owner})`, entry.shape));
    }),
  );
}

/** Reads `count` little-endian float32 values from `data` at byte `offset`. */
function readFloat32s(data: Uint8Array, offset: number, count: number): Float32Array {
  const view = new DataView(data.buffer, data.byteOffset + offset, count * bytesPerFloat32);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * bytesPerFloat32, true);
  return values;
}

/** Builds a layer, taking its weight arrays from `nextWeight` in slot order (kernel, then bias). */
function layerSpecOf({ layer }: LocatedLayer, nextWeight: () => Float32Array): LayerSpec {
  switch (layer.class_name) {
    case 'Dense':
      return {
        kind: 'dense',
        units: layer.config.units,
        activation: layer.config.activation ?? 'linear',
        kernel: nextWeight(),
        bias: usesBias(layer.config) ? nextWeight() : null,
      };
    case 'Dropout':
      return { kind: 'dropout', rate: layer.config.rate };
    case 'Flatten':
      return { kind: 'flatten' };
    case 'Activation':
      return { kind: 'activation', activation: layer.config.activation };
  }
}

/**
 * Checks that `model.json`'s topology and manifest agree with each other and with the
 * weights data, and builds the model. Refused, each with a one-line reason: a
 * topology without an input shape, a weight the layers do not have or that is
 * missing, a shape other than the layers need (kernel [inputs, units], bias [units]),
 * and weights data of a size other than the manifest's.
 *
 * @param weightData The weights files named by {@link weightFileNames}, concatenated.
 * @example
 * pipe(parseModelJson(text), E.chain((json) => decodeModel(json, weights)));
 */
export function decodeModel(json: ModelJson, weightData: Uint8Array): E.Either<ModelFileError, SavedModel> {
  return pipe(
    architectureOf(json),
    E.bindTo('architecture'),
    E.bind('layout', ({ architecture }) =>
      pipe(
        weightLayout(architecture.inputShape, architecture.layers.map(outlineOfLocated)),
        E.mapLeft((problem) => fieldError(architecture.layers[problem.layer].path, problem.expected, problem.inputShape)),
      ),
    ),
    E.chain(({ architecture, layout }) => {
      const { entries, totalBytes } = locateEntries(json);
      return pipe(
        matchEntries(layout, entries, architecture),
        E.filterOrElse(
          () => totalBytes === weightData.byteLength,
          (): ModelFileError => ({
            kind: 'weights',
            file: weightFileNames(json).join(', '),
            message: `expected ${totalBytes} bytes (the float32 weights ${modelJsonFile} lists), found ${weightData.byteLength}`,
          }),
        ),
        E.map((matched) => {
          const values = matched.map((entry) => readFloat32s(weightData, entry.offset, elementCount(entry.shape)));
          // `matched` is in slot order, which is the order layers take their weights in.
          let next = 0;
          const nextWeight = (): Float32Array => values[next++];
          return {
            inputShape: architecture.inputShape,
            layers: architecture.layers.map((located) => layerSpecOf(located, nextWeight)),
            metadata: json.userDefinedMetadata ?? null,
          };
        }),
      );
    }),
  );
}
