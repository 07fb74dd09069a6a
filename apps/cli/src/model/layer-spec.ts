import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { Padding } from '@axon/tensor';
import { HiddenActivation, type ModelName } from '../training/vocabulary.js';

// The small language `--layers` speaks: the hidden layers of a classifier, one item per
// layer, separated by commas; each item is a kind and its arguments separated by colons
// (`conv:32:3`, `maxpool:2`, `dropout:0.5`), and a plain number is a dense layer of that
// many units, so the tutorial's `--layers 128,128` reads as it always did.

/** `[height, width]` of a window, a stride or a dilation. */
export type SizePair = readonly [number, number];

/** A dense layer; `activation: null` takes `--activation`. */
export interface DenseSpec {
  readonly kind: 'dense';
  readonly units: number;
  readonly activation: HiddenActivation | null;
}

/** A 2-D convolution; `activation: null` takes `--activation`. */
export interface ConvSpec {
  readonly kind: 'conv';
  readonly filters: number;
  readonly size: SizePair;
  readonly strides: SizePair;
  readonly padding: Padding;
  readonly dilation: SizePair;
  readonly activation: HiddenActivation | null;
}

/** Max or average pooling; the strides are the pool size unless given, as in Keras. */
export interface PoolSpec {
  readonly kind: 'maxpool' | 'avgpool';
  readonly size: SizePair;
  readonly strides: SizePair;
  readonly padding: Padding;
}

/** Batch normalization over the channels (or features), with Keras's defaults unless given. */
export interface BatchNormSpec {
  readonly kind: 'batchnorm';
  readonly momentum: number;
  readonly epsilon: number;
}

/** One hidden layer as `--layers` describes it. */
export type LayerSpec =
  | DenseSpec
  | ConvSpec
  | PoolSpec
  | BatchNormSpec
  | { readonly kind: 'globalavgpool' }
  | { readonly kind: 'flatten' }
  | { readonly kind: 'dropout'; readonly rate: number };

/** Keras's batch-normalization defaults. */
export const batchNormDefaults = { momentum: 0.99, epsilon: 1e-3 } as const;

/** What is wrong with one item of `--layers`: what was expected, and the part that is not it. */
export interface LayerSpecProblem {
  readonly expected: string;
  readonly got: string;
}

/** The forms of each kind, for messages and help. */
export const layerForms =
  'N (dense), dense:N, conv:FILTERS:SIZE, maxpool:SIZE, avgpool:SIZE, globalavgpool, batchnorm, flatten, dropout:RATE';

const wholeNumber = /^\d+$/;
const pairPattern = /^(\d+)(?:x(\d+))?$/;
const decimalText = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

const problem = (expected: string, got: string): E.Either<LayerSpecProblem, never> => E.left({ expected, got });

const positiveInteger = (text: string, what: string): E.Either<LayerSpecProblem, number> => {
  const n = Number(text);
  return wholeNumber.test(text) && Number.isSafeInteger(n) && n > 0
    ? E.right(n)
    : problem(`${what} (a positive integer)`, text);
};

const pairOf = (text: string, what: string): E.Either<LayerSpecProblem, SizePair> => {
  const match = pairPattern.exec(text);
  const height = match === null ? Number.NaN : Number(match[1]);
  const width = match === null ? Number.NaN : Number(match[2] ?? match[1]);
  return [height, width].every((n) => Number.isSafeInteger(n) && n > 0)
    ? E.right([height, width])
    : problem(`${what} (a positive integer, or HxW such as 3x5)`, text);
};

const decimal = (text: string, what: string, accepts: (n: number) => boolean): E.Either<LayerSpecProblem, number> =>
  decimalText.test(text) && accepts(Number(text)) ? E.right(Number(text)) : problem(what, text);

/** Options after the required arguments: `name=value` pairs and bare words, each known to the kind. */
type OptionReader<S> = (spec: S, option: string) => E.Either<LayerSpecProblem, S> | undefined;

const readOptions = <S>(
  start: S,
  options: readonly string[],
  read: OptionReader<S>,
  accepted: string,
): E.Either<LayerSpecProblem, S> => {
  let spec = start;
  for (const option of options) {
    const next = read(spec, option) ?? problem(accepted, option);
    if (E.isLeft(next)) return next;
    spec = next.right;
  }
  return E.right(spec);
};

const paddingOption = <S extends { readonly padding: Padding }>(
  spec: S,
  option: string,
): E.Either<LayerSpecProblem, S> | undefined =>
  option === 'same' || option === 'valid' ? E.right({ ...spec, padding: option }) : undefined;

const valueOf = (option: string, name: string): string | undefined =>
  option.startsWith(`${name}=`) ? option.slice(name.length + 1) : undefined;

const activationOption = <S extends { readonly activation: HiddenActivation | null }>(
  spec: S,
  option: string,
): E.Either<LayerSpecProblem, S> | undefined =>
  HiddenActivation.is(option) ? E.right({ ...spec, activation: option }) : undefined;

const activations = HiddenActivation.values.join(', ');

const convSpec = (args: readonly string[]): E.Either<LayerSpecProblem, LayerSpec> => {
  const [filtersText = '', sizeText = '', ...options] = args;
  const filters = positiveInteger(filtersText, 'the number of filters');
  if (E.isLeft(filters)) return filters;
  const size = pairOf(sizeText, 'the kernel size');
  if (E.isLeft(size)) return size;
  const start: ConvSpec = {
    kind: 'conv',
    filters: filters.right,
    size: size.right,
    strides: [1, 1],
    padding: 'valid',
    dilation: [1, 1],
    activation: null,
  };
  const read: OptionReader<ConvSpec> = (spec, option) => {
    const stride = valueOf(option, 'stride');
    const dilation = valueOf(option, 'dilation');
    if (stride !== undefined) return E.map((strides: SizePair) => ({ ...spec, strides }))(pairOf(stride, 'a stride'));
    if (dilation !== undefined)
      return E.map((d: SizePair) => ({ ...spec, dilation: d }))(pairOf(dilation, 'a dilation'));
    return paddingOption(spec, option) ?? activationOption(spec, option);
  };
  const spec = readOptions(
    start,
    options,
    read,
    `a convolution option (same, valid, stride=S, dilation=D, or an activation: ${activations})`,
  );
  if (E.isLeft(spec)) return spec;
  const { strides, dilation } = spec.right;
  // TensorFlow (so TensorFlow.js and Keras, which read axon's model files) cannot run both.
  if (Math.max(...strides) > 1 && Math.max(...dilation) > 1)
    return problem('a stride or a dilation above 1, not both (TensorFlow cannot run both)', options.join(':'));
  return spec;
};

const poolSpec = (kind: PoolSpec['kind'], args: readonly string[]): E.Either<LayerSpecProblem, LayerSpec> => {
  const [sizeText = '', ...options] = args;
  const size = pairOf(sizeText, 'the pool size');
  if (E.isLeft(size)) return size;
  const read: OptionReader<PoolSpec> = (spec, option) => {
    const stride = valueOf(option, 'stride');
    return stride === undefined
      ? paddingOption(spec, option)
      : E.map((strides: SizePair) => ({ ...spec, strides }))(pairOf(stride, 'a stride'));
  };
  return readOptions<PoolSpec>(
    { kind, size: size.right, strides: size.right, padding: 'valid' },
    options,
    read,
    'a pooling option (same, valid or stride=S)',
  );
};

const batchNormSpec = (options: readonly string[]): E.Either<LayerSpecProblem, LayerSpec> => {
  const read: OptionReader<BatchNormSpec> = (spec, option) => {
    const momentum = valueOf(option, 'momentum');
    const epsilon = valueOf(option, 'epsilon');
    if (momentum !== undefined)
      return E.map((m: number) => ({ ...spec, momentum: m }))(
        decimal(momentum, 'a momentum from 0 up to (not including) 1', (m) => m >= 0 && m < 1),
      );
    if (epsilon !== undefined)
      return E.map((e: number) => ({ ...spec, epsilon: e }))(decimal(epsilon, 'an epsilon above 0', (e) => e > 0));
    return undefined;
  };
  return readOptions<BatchNormSpec>(
    { kind: 'batchnorm', ...batchNormDefaults },
    options,
    read,
    'a batch-normalization option (momentum=M or epsilon=E)',
  );
};

const noArguments = (kind: string, args: readonly string[], spec: LayerSpec): E.Either<LayerSpecProblem, LayerSpec> =>
  args.length === 0 ? E.right(spec) : problem(`nothing after ${kind}`, args.join(':'));

/**
 * Reads one item of `--layers`. Left names what was expected and the part that is not it.
 *
 * @example
 * parseLayerSpec('128');                // right({ kind: 'dense', units: 128, activation: null })
 * parseLayerSpec('conv:32:3:same');     // right({ kind: 'conv', filters: 32, size: [3, 3], padding: 'same', … })
 * parseLayerSpec('conv:32:x');          // left({ expected: 'the kernel size (a positive integer, or HxW such as 3x5)', got: 'x' })
 */
export function parseLayerSpec(item: string): E.Either<LayerSpecProblem, LayerSpec> {
  const text = item.trim();
  if (wholeNumber.test(text))
    return E.map((units: number): LayerSpec => ({ kind: 'dense', units, activation: null }))(
      positiveInteger(text, 'the units of a dense layer'),
    );
  const [kind = '', ...args] = text.split(':');
  switch (kind) {
    case 'dense': {
      const [unitsText = '', activation, ...rest] = args;
      const units = positiveInteger(unitsText, 'the units of a dense layer');
      if (E.isLeft(units)) return units;
      if (activation !== undefined && !HiddenActivation.is(activation))
        return problem(`an activation (${activations})`, activation);
      if (rest.length > 0) return problem('nothing after the activation', rest.join(':'));
      return E.right({ kind: 'dense', units: units.right, activation: activation ?? null });
    }
    case 'conv':
      return convSpec(args);
    case 'maxpool':
      return poolSpec('maxpool', args);
    case 'avgpool':
      return poolSpec('avgpool', args);
    case 'globalavgpool':
      return noArguments(kind, args, { kind: 'globalavgpool' });
    case 'flatten':
      return noArguments(kind, args, { kind: 'flatten' });
    case 'batchnorm':
      return batchNormSpec(args);
    case 'dropout': {
      const [rateText = '', ...rest] = args;
      const rate = decimal(rateText, 'a dropout rate from 0 up to (not including) 1', (r) => r >= 0 && r < 1);
      if (E.isLeft(rate)) return rate;
      return rest.length > 0
        ? problem('nothing after the rate', rest.join(':'))
        : E.right({ kind: 'dropout', rate: rate.right });
    }
    default:
      return problem(`a layer (${layerForms})`, kind);
  }
}

const showPair = ([h, w]: SizePair): string => (h === w ? `${h}` : `${h}x${w}`);
const isOne = ([h, w]: SizePair): boolean => h === 1 && w === 1;
const samePair = (a: SizePair, b: SizePair): boolean => a[0] === b[0] && a[1] === b[1];

/**
 * The shortest item of `--layers` that reads back as `spec`: a plain number for a dense
 * layer with `--activation`, defaults left out.
 *
 * @example
 * layerSpecText({ kind: 'dense', units: 128, activation: null }); // 128
 * layerSpecText(conv);                                         // 'conv:32:3:same:stride=2'
 */
export function layerSpecText(spec: LayerSpec): string | number {
  const parts = (...items: (string | false)[]): string => items.filter((item) => item !== false).join(':');
  switch (spec.kind) {
    case 'dense':
      return spec.activation === null ? spec.units : parts('dense', `${spec.units}`, spec.activation);
    case 'conv':
      return parts(
        'conv',
        `${spec.filters}`,
        showPair(spec.size),
        spec.padding === 'same' && 'same',
        !isOne(spec.strides) && `stride=${showPair(spec.strides)}`,
        !isOne(spec.dilation) && `dilation=${showPair(spec.dilation)}`,
        spec.activation ?? false,
      );
    case 'maxpool':
    case 'avgpool':
      return parts(
        spec.kind,
        showPair(spec.size),
        spec.padding === 'same' && 'same',
        !samePair(spec.strides, spec.size) && `stride=${showPair(spec.strides)}`,
      );
    case 'batchnorm':
      return parts(
        'batchnorm',
        spec.momentum !== batchNormDefaults.momentum && `momentum=${spec.momentum}`,
        spec.epsilon !== batchNormDefaults.epsilon && `epsilon=${spec.epsilon}`,
      );
    case 'dropout':
      return `dropout:${spec.rate}`;
    case 'globalavgpool':
    case 'flatten':
      return spec.kind;
  }
}

/**
 * A list of layers as one `--layers` value, e.g. `conv:32:3,maxpool:2,flatten`.
 *
 * @example
 * layerSpecsText(tutorialSettings.layers); // '128,128'
 */
export const layerSpecsText = (specs: readonly LayerSpec[]): string => specs.map(layerSpecText).join(',');

/** The name of the `--layers` value's codec, which a decode error quotes after "expected". */
const listName = `comma-separated layers (${layerForms}), such as 128,128 or conv:32:3,maxpool:2,flatten, or "" for none`;

/**
 * `--layers` from the command line: comma-separated items (see {@link parseLayerSpec});
 * the empty string is no hidden layers. An error names the item and the part of it
 * that is wrong, e.g. `expected the kernel size (…) in layer 1 "conv:32:x", got "x"`.
 */
export const LayerSpecList = new t.Type<readonly LayerSpec[], string, unknown>(
  listName,
  (u): u is readonly LayerSpec[] =>
    Array.isArray(u) && u.every((item) => typeof item === 'object' && item !== null && 'kind' in item),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c);
    if (u.trim() === '') return t.success([]);
    const specs: LayerSpec[] = [];
    for (const [i, item] of u.split(',').entries()) {
      if (item.trim() === '') return t.failure(u, c, `a layer (${layerForms}) as layer ${i + 1}, between the commas`);
      const parsed = parseLayerSpec(item);
      if (E.isLeft(parsed)) return t.failure(parsed.left.got, c, `${parsed.left.expected} in layer ${i + 1} "${item}"`);
      specs.push(parsed.right);
    }
    return t.success(specs);
  },
  layerSpecsText,
);

/**
 * One hidden layer as model files and `--json` record it: a number for a dense layer
 * with the run's activation (as files written before `--layers` knew other kinds hold
 * them), any other layer as its `--layers` item.
 */
export const LayerSpecEntry = new t.Type<LayerSpec, string | number, unknown>(
  `a layer: a positive integer, or one of ${layerForms}`,
  (u): u is LayerSpec => typeof u === 'object' && u !== null && 'kind' in u,
  (u, c) => {
    if (typeof u === 'number')
      return Number.isSafeInteger(u) && u > 0
        ? t.success({ kind: 'dense', units: u, activation: null })
        : t.failure(u, c);
    if (typeof u !== 'string' || wholeNumber.test(u.trim())) return t.failure(u, c);
    const parsed = parseLayerSpec(u);
    return E.isLeft(parsed)
      ? t.failure(u, c, `${parsed.left.expected}, not "${parsed.left.got}"`)
      : t.success(parsed.right);
  },
  layerSpecText,
);

/**
 * The networks `--model` names: `mlp`, the tutorial's (`--layers 128,128`), and `cnn`,
 * Keras's `mnist_convnet` example: Conv2D(32, 3, relu) → MaxPooling(2) →
 * Conv2D(64, 3, relu) → MaxPooling(2) → Flatten → Dropout(0.5), before the softmax.
 */
export const builtInModels = {
  mlp: [
    { kind: 'dense', units: 128, activation: null },
    { kind: 'dense', units: 128, activation: null },
  ],
  cnn: [
    { kind: 'conv', filters: 32, size: [3, 3], strides: [1, 1], padding: 'valid', dilation: [1, 1], activation: null },
    { kind: 'maxpool', size: [2, 2], strides: [2, 2], padding: 'valid' },
    { kind: 'conv', filters: 64, size: [3, 3], strides: [1, 1], padding: 'valid', dilation: [1, 1], activation: null },
    { kind: 'maxpool', size: [2, 2], strides: [2, 2], padding: 'valid' },
    { kind: 'flatten' },
    { kind: 'dropout', rate: 0.5 },
  ],
} as const satisfies Record<ModelName, readonly LayerSpec[]>;
