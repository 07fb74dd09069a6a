// Until @axon/io's loadModel (model files by URL or bytes, as @axon/nn configs and params)
// is on main, the page reads model files with @axon/io's decoder and rebuilds their
// layers here. Replace this file with loadModel + layers.fromConfig once it lands.
import * as E from 'fp-ts/lib/Either.js';
import { decodeModel, parseModelJson, renderModelFileError, weightFileNames, type KerasActivation, type LayerSpec, type SavedModel } from '@axon/io';
import { layers, type ActivationName, type AnyLayer, type LayerConfig } from '@axon/nn';
import { tensor, type TensorTree } from '@axon/tensor';

/** A model's files in memory: `model.json` and its weights files, in manifest order. */
export interface ModelBytes {
  readonly modelJson: string;
  readonly weights: readonly Uint8Array[];
}

/** A model file rebuilt: layers, params on the reference backend, input shape and metadata. */
export interface LoadedModelFile {
  readonly model: AnyLayer<TensorTree>;
  readonly params: TensorTree;
  readonly inputShape: readonly number[];
  readonly metadata: SavedModel['metadata'];
}

const activations: Partial<Record<KerasActivation, ActivationName>> = {
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  elu: 'elu',
  gelu: 'gelu',
  softplus: 'softplus',
};

const rebuild = (saved: SavedModel): E.Either<string, LoadedModelFile> => {
  const configs: LayerConfig[] = [];
  const params: TensorTree[] = [];
  let width = saved.inputShape.reduce((a, b) => a * b, 1);
  for (const [i, spec] of saved.layers.entries()) {
    const activation = 'activation' in spec ? activations[spec.activation] : undefined;
    if ('activation' in spec && activation === undefined) return E.left(`layer ${i + 1}: activation ${spec.activation} is not implemented in axon`);
    const built = layerOf(spec, width, activation ?? 'linear');
    configs.push(built.config);
    params.push(built.params);
    if (spec.kind === 'dense') width = spec.units;
  }
  const model = layers.fromConfig({ kind: 'sequential', layers: configs }) as AnyLayer<TensorTree>;
  return E.right({ model, params, inputShape: saved.inputShape, metadata: saved.metadata });
};

const layerOf = (spec: LayerSpec, inputs: number, activation: ActivationName): { config: LayerConfig; params: TensorTree } => {
  switch (spec.kind) {
    case 'dense': {
      const kernel = tensor(spec.kernel, { shape: [inputs, spec.units] });
      const params: TensorTree = spec.bias === null ? { kernel } : { kernel, bias: tensor(spec.bias, { shape: [spec.units] }) };
      return { config: layers.dense(spec.units, { activation, useBias: spec.bias !== null }).config, params };
    }
    case 'activation':
      return { config: { kind: 'activation', activation }, params: {} };
    case 'dropout':
      return { config: { kind: 'dropout', rate: spec.rate }, params: {} };
    case 'flatten':
      return { config: { kind: 'flatten' }, params: {} };
  }
};

const concatenate = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  parts.reduce((offset, part) => (out.set(part, offset), offset + part.length), 0);
  return out;
};

const fetchBytes = async (url: string): Promise<E.Either<string, Uint8Array>> => {
  try {
    const response = await fetch(url);
    return response.ok ? E.right(new Uint8Array(await response.arrayBuffer())) : E.left(`${url}: HTTP ${response.status}`);
  } catch (error) {
    return E.left(`${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
};

/** Reads a model file from a URL (its `model.json`; weights beside it) or from bytes. Left is one line. */
export const loadModelFile = async (source: string | ModelBytes): Promise<E.Either<string, LoadedModelFile>> => {
  let text: string;
  if (typeof source === 'string') {
    const json = await fetchBytes(source);
    if (E.isLeft(json)) return json;
    text = new TextDecoder().decode(json.right);
  } else {
    text = source.modelJson;
  }
  const parsed = parseModelJson(text);
  if (E.isLeft(parsed)) return E.left(renderModelFileError(parsed.left));
  let weights: readonly Uint8Array[];
  if (typeof source === 'string') {
    const parts: Uint8Array[] = [];
    for (const name of weightFileNames(parsed.right)) {
      const part = await fetchBytes(new URL(name, source).href);
      if (E.isLeft(part)) return part;
      parts.push(part.right);
    }
    weights = parts;
  } else {
    weights = source.weights;
  }
  const saved = decodeModel(parsed.right, concatenate(weights));
  return E.isLeft(saved) ? E.left(renderModelFileError(saved.left)) : rebuild(saved.right);
};
