import type { LayerConfig } from '@axon/nn';
import { tensor, type Shape, type TensorTree } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { decodeFirstProblem, type PathSegment } from '../codec/decode-problem.js';
import { PositiveInteger } from '../codec/numbers.js';
import { Text } from '../codec/primitives.js';
import { modelJsonFile } from './file-names.js';
import { tooDeepAt, maxJsonDepth } from './json-depth.js';
import { layerKindForClass, readableClassNames } from './layer-kinds/index.js';
import type { WeightSpec } from './layer-kinds/layer-kind.js';
import { fieldError, type ModelFileError } from './model-file-error.js';
import { type JsonObject, LayerJson, ModelJson, type SequentialTopology } from './model-json.js';
import type { SavedModel } from './saved-model.js';
import { bytesPerFloat32, describeNonFinite, elementCount, firstNonFinite, readFloat32s } from './weight-data.js';

/**
 * Parses and validates the text of `model.json`. Every structural problem comes back
 * as a field error naming the path, e.g. `modelTopology.config.layers[1].config.units`;
 * text nested deeper than any model file is refused before it is parsed.
 *
 * @example
 * parseModelJson('{"format":"graph-model"}');
 * // left({ kind: 'field', file: 'model.json', problem: { path: ['modelTopology'], … } })
 */
export function parseModelJson(text: string): E.Either<ModelFileError, ModelJson> {
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    return E.left({
      kind: 'json',
      file: modelJsonFile,
      message: `nested deeper than ${maxJsonDepth} levels at character ${deep}`,
    });
  }
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

function topologyOf(json: ModelJson): { topology: SequentialTopology; path: PathSegment[] } {
  const topology = json.modelTopology;
  return 'model_config' in topology
    ? { topology: topology.model_config, path: ['modelTopology', 'model_config'] }
    : { topology, path: ['modelTopology'] };
}

/** `[batch, ...sample]` as Keras writes it; the batch size is `null` (any). */
const BatchShape = t.readonlyArray(t.union([PositiveInteger, t.null]), 'a batch shape such as [null, 784]');

/** Where Keras keeps a model's input shape: `batch_input_shape` (Keras 2, TF.js), `batch_shape` (Keras 3) or `input_shape`. */
const InputShapeFields = t.partial({
  batch_input_shape: BatchShape,
  batch_shape: BatchShape,
  input_shape: t.readonlyArray(PositiveInteger, 'a shape such as [784]'),
});

const fixedShapeExpected = 'a fixed sample shape such as [null, 784] (only the batch size may be null)';

/** The sample shape a model's first layer (or its `InputLayer`) gives. */
function inputShapeOf(config: JsonObject, path: readonly PathSegment[]): E.Either<ModelFileError, Shape> {
  const fields = decodeFirstProblem(InputShapeFields, config);
  if (E.isLeft(fields))
    return E.left(fieldError([...path, ...fields.left.path], fields.left.expected, fields.left.value));
  const { batch_input_shape, batch_shape, input_shape } = fields.right;
  const batch = batch_input_shape ?? batch_shape;
  if (batch !== undefined) {
    const key = batch_input_shape === undefined ? 'batch_shape' : 'batch_input_shape';
    const sample = batch.slice(1);
    return sample.length > 0 && sample.every((size): size is number => size !== null)
      ? E.right(sample)
      : E.left(fieldError([...path, key], fixedShapeExpected, batch));
  }
  if (input_shape !== undefined && input_shape.length > 0) return E.right(input_shape);
  return E.left(
    fieldError([...path, 'batch_input_shape'], 'the input shape on the first layer, such as [null, 784]', undefined),
  );
}

/** A layer as the file describes it: its config, its name, and the weights it takes, in file order. */
interface LayerPlan {
  readonly config: LayerConfig;
  readonly name: string;
  readonly weights: readonly WeightSpec[];
  /** The layers of a nested `Sequential`. */
  readonly children?: readonly LayerPlan[];
}

/** What {@link planLayers} works out for a list of layers. */
interface Planned {
  readonly plans: readonly LayerPlan[];
  readonly outputShape: Shape;
}

const LayerName = t.type({ name: Text }, 'a layer config ({ name, … })');
const NestedLayers = t.type(
  { layers: t.readonlyArray(t.unknown, 'a list of layers') },
  'a Sequential config ({ name, layers })',
);

/**
 * Reads each layer's class and config through its layer kind, walking the sample
 * shape through them and listing the weights each takes. Layer names must be unique
 * across the whole model: weights are found by them.
 */
function planLayers(
  layers: readonly LayerJson[],
  path: readonly PathSegment[],
  inputShape: Shape,
  names: Set<string>,
  firstIndex = 0,
): E.Either<ModelFileError, Planned> {
  const plans: LayerPlan[] = [];
  let shape = inputShape;
  for (const [i, layer] of layers.entries()) {
    const at = [...path, firstIndex + i];
    const named = decodeFirstProblem(LayerName, layer.config);
    if (E.isLeft(named))
      return E.left(fieldError([...at, 'config', ...named.left.path], named.left.expected, named.left.value));
    const { name } = named.right;
    if (names.has(name))
      return E.left(fieldError([...at, 'config', 'name'], 'a layer name not used by an earlier layer', name));
    names.add(name);
    if (layer.class_name === 'Sequential') {
      const nested = decodeFirstProblem(NestedLayers, layer.config);
      if (E.isLeft(nested))
        return E.left(fieldError([...at, 'config', ...nested.left.path], nested.left.expected, nested.left.value));
      const inner = decodeFirstProblem(t.readonlyArray(LayerJson), nested.right.layers);
      if (E.isLeft(inner))
        return E.left(
          fieldError([...at, 'config', 'layers', ...inner.left.path], inner.left.expected, inner.left.value),
        );
      const planned = planLayers(inner.right, [...at, 'config', 'layers'], shape, names);
      if (E.isLeft(planned)) return planned;
      plans.push({
        config: { kind: 'sequential', layers: planned.right.plans.map((plan) => plan.config) },
        name,
        weights: [],
        children: planned.right.plans,
      });
      shape = planned.right.outputShape;
      continue;
    }
    const kind = layerKindForClass(layer.class_name);
    if (kind === undefined) {
      const expected =
        layer.class_name === 'InputLayer'
          ? 'a layer class other than InputLayer after the first layer'
          : `one of ${readableClassNames.join(', ')}`;
      return E.left(fieldError([...at, 'class_name'], expected, layer.class_name));
    }
    const config = kind.read(layer.class_name, layer.config, shape);
    if (E.isLeft(config))
      return E.left(fieldError([...at, 'config', ...config.left.path], config.left.expected, config.left.value));
    const output = kind.outputShape(config.right, shape);
    if (E.isLeft(output)) return E.left(fieldError(at, output.left, shape));
    plans.push({ config: config.right, name, weights: kind.weights(config.right, shape) });
    shape = output.right;
  }
  return E.right({ plans, outputShape: shape });
}

/** The first layer that holds the input shape: the model's first, or the first inside a nested `Sequential` there. */
function firstLayerOf(
  layer: LayerJson,
  path: readonly PathSegment[],
): E.Either<ModelFileError, { layer: LayerJson; path: readonly PathSegment[] }> {
  if (layer.class_name !== 'Sequential') return E.right({ layer, path });
  const nested = decodeFirstProblem(t.type({ layers: t.readonlyArray(LayerJson, 'a list of layers') }), layer.config);
  if (E.isLeft(nested))
    return E.left(fieldError([...path, 'config', ...nested.left.path], nested.left.expected, nested.left.value));
  const [first] = nested.right.layers;
  return first === undefined
    ? E.left(fieldError([...path, 'config', 'layers'], 'at least one layer', []))
    : firstLayerOf(first, [...path, 'config', 'layers', 0]);
}

/** What the topology says: the input shape and the planned layers after any `InputLayer`. */
interface Architecture {
  readonly inputShape: Shape;
  readonly plans: readonly LayerPlan[];
}

function architectureOf(json: ModelJson): E.Either<ModelFileError, Architecture> {
  const { topology, path } = topologyOf(json);
  const layersPath: PathSegment[] = [...path, 'config', 'layers'];
  const all = topology.config.layers;
  const skip = all.length > 0 && all[0].class_name === 'InputLayer' ? 1 : 0;
  if (all.length === skip) return E.left(fieldError(layersPath, 'at least one layer (besides an InputLayer)', all));
  return pipe(
    firstLayerOf(all[0], [...layersPath, 0]),
    E.chain(({ layer, path: at }) => inputShapeOf(layer.config, [...at, 'config'])),
    E.chain((inputShape) =>
      pipe(
        planLayers(all.slice(skip), layersPath, inputShape, new Set(), skip),
        E.map(({ plans }) => ({ inputShape, plans })),
      ),
    ),
  );
}

/**
 * Checks a topology as {@link decodeModel} does, without weights: every layer's class
 * and config, the input shape, and the shapes through the layers. Left is the first
 * problem, as a field error.
 *
 * @example
 * checkTopology(json); // right(undefined)
 */
export const checkTopology = (json: ModelJson): E.Either<ModelFileError, void> =>
  E.map(() => undefined)(architectureOf(json));

/** One weight the layers need, with its place in the file's naming. */
interface Slot {
  readonly layer: string;
  readonly spec: WeightSpec;
  /** Its index among its layer's weights, which Keras 3 names it by (`dense/0`). */
  readonly index: number;
}

/** The weights of planned layers in file order, nested layers in place. */
const slotsOf = (plans: readonly LayerPlan[]): Slot[] =>
  plans.flatMap((plan) =>
    plan.children === undefined
      ? plan.weights.map((spec, index) => ({ layer: plan.name, spec, index }))
      : slotsOf(plan.children),
  );

/**
 * The names a file may give a slot, as TensorFlow.js's `loadWeights` accepts them:
 * `<layer>/<weight>`; Keras 3's `<layer>/<index>`; and TF 2.2's
 * `<layer>/<cell>/<weight>`, its cell name dropped.
 */
const namesOf = (slot: Slot): string[] => [`${slot.layer}/${slot.spec.name}`, `${slot.layer}/${slot.index}`];

/** TensorFlow.js drops the second-to-last part of a name it does not know (a TF 2.2 cell name). */
const withoutCellName = (name: string): string => {
  const parts = name.split('/');
  return [...parts.slice(0, -2), parts[parts.length - 1]].join('/');
};

/** A manifest entry with its place in `model.json` and its byte offset in the weights data. */
interface LocatedEntry {
  readonly name: string;
  readonly shape: Shape;
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

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((size, i) => size === b[i]);

/**
 * Finds the manifest entry of every weight the layers need, in slot order, checking
 * that no entry is listed twice, none is missing or extra, and shapes agree.
 */
function matchEntries(
  slots: readonly Slot[],
  entries: readonly LocatedEntry[],
): E.Either<ModelFileError, readonly LocatedEntry[]> {
  const slotByName = new Map<string, number>();
  slots.forEach((slot, i) => namesOf(slot).forEach((name) => slotByName.set(name, i)));
  const matched = new Array<LocatedEntry | undefined>(slots.length);
  for (const entry of entries) {
    const slot = slotByName.get(entry.name) ?? slotByName.get(withoutCellName(entry.name));
    if (slot === undefined) {
      return E.left(fieldError([...entry.path, 'name'], 'the name of a weight that one of the layers has', entry.name));
    }
    if (matched[slot] !== undefined)
      return E.left(fieldError([...entry.path, 'name'], 'a weight name not listed before', entry.name));
    matched[slot] = entry;
  }
  return pipe(
    slots,
    E.traverseArrayWithIndex((i, slot): E.Either<ModelFileError, LocatedEntry> => {
      const owner = `the ${slot.spec.name} of layer "${slot.layer}"`;
      const entry = matched[i];
      if (entry === undefined) {
        return E.left(
          fieldError(['weightsManifest'], `an entry named "${slot.layer}/${slot.spec.name}" (${owner})`, undefined),
        );
      }
      return sameShape(entry.shape, slot.spec.shape)
        ? E.right(entry)
        : E.left(fieldError([...entry.path, 'shape'], `[${slot.spec.shape.join(', ')}] (${owner})`, entry.shape));
    }),
  );
}

/** Whether planned layers hold any state (batch-norm statistics). */
const hasState = (plans: readonly LayerPlan[]): boolean =>
  plans.some((plan) =>
    plan.children === undefined ? plan.weights.some((spec) => spec.collection === 'state') : hasState(plan.children),
  );

/**
 * Each planned layer's params and state, taking tensors from `next` in slot order. A
 * layer's state is `{}` when it has none, and a nested sequential's is an array only
 * when one of its layers has state, as `sequential` builds them.
 */
function treesOf(plans: readonly LayerPlan[], next: () => TensorTree): { params: TensorTree[]; state: TensorTree[] } {
  const params: TensorTree[] = [];
  const state: TensorTree[] = [];
  for (const plan of plans) {
    if (plan.children !== undefined) {
      const inner = treesOf(plan.children, next);
      params.push(inner.params);
      state.push(hasState(plan.children) ? inner.state : {});
      continue;
    }
    const own: Record<'params' | 'state', Record<string, TensorTree>> = { params: {}, state: {} };
    for (const spec of plan.weights) own[spec.collection][spec.key] = next();
    params.push(own.params);
    state.push(own.state);
  }
  return { params, state };
}

/**
 * Checks that `model.json`'s topology and manifest agree with each other and with the
 * weights data, and builds the model: configs for `layers.fromConfig` and params as
 * float32 tensors. Refused, each with a one-line reason: a layer class axon does not
 * read (naming the ones it does), a topology without an input shape, a weight the
 * layers do not have or that is missing, a shape other than the layers need, weights
 * data of a size other than the manifest's, and a weight that is NaN or infinite
 * (naming the tensor and the first such element).
 *
 * Weights are found by name as TensorFlow.js finds them, so files written by
 * TensorFlow.js, by Keras 2 through the converter (`<layer>/<weight>`) and by Keras 3
 * (`<layer>/<index>`) all load.
 *
 * @param weightData The weights files named by {@link weightFileNames}, concatenated.
 * @example
 * pipe(parseModelJson(text), E.chain((json) => decodeModel(json, weights)));
 * // right({ inputShape: [28, 28], config: { kind: 'sequential', layers: [...] }, params: [...], metadata: null })
 */
export function decodeModel(json: ModelJson, weightData: Uint8Array): E.Either<ModelFileError, SavedModel> {
  return pipe(
    architectureOf(json),
    E.chain(({ inputShape, plans }) => {
      const { entries, totalBytes } = locateEntries(json);
      const weightFiles = weightFileNames(json).join(', ');
      return pipe(
        matchEntries(slotsOf(plans), entries),
        E.filterOrElse(
          () => totalBytes === weightData.byteLength,
          (): ModelFileError => ({
            kind: 'weights',
            file: weightFiles,
            message: `expected ${totalBytes} bytes (the float32 weights ${modelJsonFile} lists), found ${weightData.byteLength}`,
          }),
        ),
        E.chain((matched) => {
          const values = matched.map((entry) => readFloat32s(weightData, entry.offset, elementCount(entry.shape)));
          for (const [i, entry] of matched.entries()) {
            const bad = firstNonFinite(values[i]);
            if (bad !== undefined) {
              return E.left<ModelFileError>({
                kind: 'weights',
                file: weightFiles,
                message: `${describeNonFinite(entry.name, entry.shape, bad)}; weights must be finite`,
              });
            }
          }
          // `matched` is in slot order, which is the order layers take their weights in.
          let next = 0;
          const take = (): TensorTree => {
            const entry = matched[next];
            return tensor(values[next++], { shape: entry.shape, copy: false });
          };
          const { params, state } = treesOf(plans, take);
          return E.right({
            inputShape,
            config: { kind: 'sequential' as const, layers: plans.map((plan) => plan.config) },
            params,
            ...(hasState(plans) ? { state } : {}),
            metadata: json.userDefinedMetadata ?? null,
          });
        }),
      );
    }),
  );
}
