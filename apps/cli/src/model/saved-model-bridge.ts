import * as E from 'fp-ts/lib/Either.js';
import { layers, type ActivationName, type LayerConfig, type Sequential } from '@axon/nn';
import { tensor, type Tensor, type TensorTree } from '@axon/tensor';
import { outlineOf, outputUnits, weightLayout, type KerasActivation, type LayerSpec, type SavedModel } from '@axon/io';
import { userMetadataOf, type AxonMetadata } from './axon-metadata.js';

/** Activations both axon and Keras have, by axon's name and Keras's. */
const kerasNames: Partial<Record<ActivationName, KerasActivation>> = {
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  elu: 'elu',
  gelu: 'gelu',
  softplus: 'softplus',
};

const axonNameOf = (keras: KerasActivation): ActivationName | undefined =>
  (Object.keys(kerasNames) as ActivationName[]).find((name) => kerasNames[name] === keras);

/** The float32 values of a parameter, in row-major order. */
const float32Values = (x: Tensor): Float32Array => Float32Array.from(x.values);

/**
 * A trained sequential model as the model file stores it. Left names a layer the
 * Keras / TensorFlow.js format cannot express.
 *
 * @example
 * savedModelOf(model.config, state.params, [28, 28], metadata);
 */
export function savedModelOf(
  config: layers.SequentialConfig,
  params: readonly TensorTree[],
  inputShape: readonly number[],
  metadata: AxonMetadata | null,
): E.Either<string, SavedModel> {
  const specs: LayerSpec[] = [];
  for (const [i, layer] of config.layers.entries()) {
    const spec = layerSpecOf(layer, params[i]);
    if (E.isLeft(spec)) return E.left(`layer ${i + 1} (${layer.kind}): ${spec.left}`);
    specs.push(spec.right);
  }
  if (metadata === null) return E.right({ inputShape, layers: specs, metadata: null });
  const layout = weightLayout(inputShape, outlineOf(specs));
  const units = E.isRight(layout) ? outputUnits(layout.right) : Number.NaN;
  if (metadata.classNames.length !== units) {
    return E.left(`the metadata names ${metadata.classNames.length} classes but the output layer has ${units} units`);
  }
  return E.map((user: SavedModel['metadata']) => ({ inputShape, layers: specs, metadata: user }))(userMetadataOf(metadata));
}

const layerSpecOf = (layer: LayerConfig, params: TensorTree): E.Either<string, LayerSpec> => {
  switch (layer.kind) {
    case 'dense': {
      const activation = kerasNames[layer.activation];
      if (activation === undefined) return E.left(`activation ${layer.activation} has no Keras name`);
      const { kernel, bias } = params as { kernel: Tensor; bias?: Tensor };
      return E.right({ kind: 'dense', units: layer.units, activation, kernel: float32Values(kernel), bias: bias === undefined ? null : float32Values(bias) });
    }
    case 'activation': {
      const activation = kerasNames[layer.activation];
      return activation === undefined ? E.left(`activation ${layer.activation} has no Keras name`) : E.right({ kind: 'activation', activation });
    }
    case 'dropout':
      return E.right({ kind: 'dropout', rate: layer.rate });
    case 'flatten':
      return E.right({ kind: 'flatten' });
    case 'reshape':
    case 'conv2d':
    case 'maxPooling2d':
    case 'averagePooling2d':
    case 'globalAveragePooling2d':
    case 'batchNormalization':
    case 'sequential':
      return E.left('the model file holds dense, activation, dropout and flatten layers only');
  }
};

/** A model rebuilt from its file: the layers, and their params on the plain TypeScript backend. */
export interface LoadedModel {
  readonly model: Sequential;
  readonly params: readonly TensorTree[];
  readonly inputShape: readonly number[];
}

/**
 * Rebuilds an axon model and its params from a model file. Left names a layer whose
 * activation axon does not implement (Keras's relu6, selu, softsign, swish, mish).
 *
 * @example
 * const loaded = modelOfSaved(saved); // right({ model, params, inputShape: [28, 28] })
 */
export function modelOfSaved(saved: SavedModel): E.Either<string, LoadedModel> {
  const built: { layer: LayerConfig; params: TensorTree }[] = [];
  let width = saved.inputShape.reduce((a, b) => a * b, 1);
  for (const [i, spec] of saved.layers.entries()) {
    const layer = layerOfSpec(spec, width);
    if (E.isLeft(layer)) return E.left(`layer ${i + 1} (${spec.kind}): ${layer.left}`);
    built.push(layer.right);
    if (spec.kind === 'dense') width = spec.units;
  }
  const model = layers.fromConfig({ kind: 'sequential', layers: built.map((b) => b.layer) }) as Sequential;
  return E.right({ model, params: built.map((b) => b.params), inputShape: saved.inputShape });
}

const layerOfSpec = (spec: LayerSpec, inputs: number): E.Either<string, { layer: LayerConfig; params: TensorTree }> => {
  const activationOf = (keras: KerasActivation): E.Either<string, ActivationName> => {
    const name = axonNameOf(keras);
    return name === undefined ? E.left(`activation ${keras} is not implemented in axon`) : E.right(name);
  };
  switch (spec.kind) {
    case 'dense': {
      const activation = activationOf(spec.activation);
      if (E.isLeft(activation)) return activation;
      const kernel = tensor(spec.kernel, { shape: [inputs, spec.units] });
      const params: TensorTree = spec.bias === null ? { kernel } : { kernel, bias: tensor(spec.bias, { shape: [spec.units] }) };
      const layer = layers.dense(spec.units, { activation: activation.right, useBias: spec.bias !== null }).config;
      return E.right({ layer, params });
    }
    case 'activation': {
      const activation = activationOf(spec.activation);
      return E.isLeft(activation) ? activation : E.right({ layer: { kind: 'activation', activation: activation.right }, params: {} });
    }
    case 'dropout':
      return E.right({ layer: { kind: 'dropout', rate: spec.rate }, params: {} });
    case 'flatten':
      return E.right({ layer: { kind: 'flatten' }, params: {} });
  }
};
