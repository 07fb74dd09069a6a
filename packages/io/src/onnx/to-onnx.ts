import { create, toBinary } from '@bufbuild/protobuf';
import type { LayerConfig } from '@axon/nn';
import { Tensor, type Shape, type TensorTree } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { type LeafConfig, layerKindOf } from '../layers-model/layer-kinds/index.js';
import { savedModelOf } from '../layers-model/saved-model-of.js';
import { describeNonFinite, firstNonFinite } from '../layers-model/weight-data.js';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  type TensorProto,
  TensorProto_DataType,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from './gen/onnx_pb.js';
import type { OnnxAttribute, OnnxNodes } from './onnx-nodes.js';

/** The ONNX operator set the exporter writes: 13, where Softmax takes one axis and every operator used here is defined. */
export const onnxOpset = 13;

/** IR version 7 is the one opset 13 came with. */
const irVersion = 7n;

/** Options of {@link toOnnx}. */
export interface ToOnnxOptions {
  /** The shape of one input sample (the batch axis is left free), e.g. [28, 28]. */
  readonly inputShape: Shape;
  /** The model's state (`TrainState.modelState`), for models with stateful layers. */
  readonly state?: TensorTree;
  /** Written as the model's `producer_version`. */
  readonly producerVersion?: string;
}

const littleEndianFloat32 = (values: ArrayLike<number>): Uint8Array => {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
};

const attributeOf = (name: string, attribute: OnnxAttribute) =>
  'f' in attribute
    ? create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: attribute.f })
    : 'i' in attribute
      ? create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(attribute.i) })
      : create(AttributeProtoSchema, {
          name,
          type: AttributeProto_AttributeType.INTS,
          ints: attribute.ints.map(BigInt),
        });

/** A float32 value of the given shape, `null` extents free (the batch axis), as a graph input or output. */
const valueInfo = (name: string, shape: readonly (number | null)[]): ValueInfoProto =>
  create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType: TensorProto_DataType.FLOAT,
          shape: create(TensorShapeProtoSchema, {
            dim: shape.map((size) =>
              create(TensorShapeProto_DimensionSchema, {
                value: size === null ? { case: 'dimParam', value: 'batch' } : { case: 'dimValue', value: BigInt(size) },
              }),
            ),
          }),
        }),
      },
    }),
  });

/** Collects a graph's nodes and initializers, naming each value after the layer that makes it. */
function graphBuilder() {
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const used = new Set<string>();
  const fresh = (name: string): string => {
    let candidate = name;
    for (let n = 1; used.has(candidate); n++) candidate = `${name}_${n}`;
    used.add(candidate);
    return candidate;
  };
  let scope = '';
  const nodesIn: OnnxNodes = {
    node: (opType, inputs, attributes = {}) => {
      const output = fresh(`${scope}/${opType}`);
      nodes.push(
        create(NodeProtoSchema, {
          name: output,
          opType,
          input: [...inputs],
          output: [output],
          attribute: Object.entries(attributes).map(([name, value]) => attributeOf(name, value)),
        }),
      );
      return output;
    },
    floats: (hint, shape, values) => {
      const name = fresh(`${scope}/${hint}`);
      initializers.push(
        create(TensorProtoSchema, {
          name,
          dataType: TensorProto_DataType.FLOAT,
          dims: shape.map(BigInt),
          rawData: littleEndianFloat32(values),
        }),
      );
      return name;
    },
    int64s: (hint, values) => {
      const name = fresh(`${scope}/${hint}`);
      initializers.push(
        create(TensorProtoSchema, {
          name,
          dataType: TensorProto_DataType.INT64,
          dims: [BigInt(values.length)],
          int64Data: values.map(BigInt),
        }),
      );
      return name;
    },
  };
  return { nodes, initializers, nodesIn, fresh, enter: (name: string) => (scope = name) };
}

/**
 * Writes a model as ONNX (opset 13), the format ONNX Runtime, TensorRT, Core ML
 * converters and other frameworks read: one node per operation at inference (dense
 * layers as MatMul and Add, activations as their operators, flatten and reshape as
 * Flatten and Reshape; dropout is left out), weights as float32 initializers, and
 * a float32 input `input` and output `output` whose first axis (`batch`) is free.
 * Left says why the model cannot be written (params that do not fit its layers,
 * weights that are not finite).
 *
 * @example
 * ```ts
 * const onnx = toOnnx(model, state.params, { inputShape: [28, 28] });
 * if (E.isRight(onnx)) await writeFile('model.onnx', onnx.right);
 * ```
 */
export function toOnnx(
  model: { readonly config: LayerConfig },
  params: TensorTree,
  options: ToOnnxOptions,
): E.Either<string, Uint8Array> {
  const saved = savedModelOf(model, params, options.inputShape, null, options.state);
  const graph = graphBuilder();
  const names = new Map<string, number>();
  const layerName = (kind: string): string => {
    const count = names.get(kind) ?? 0;
    names.set(kind, count + 1);
    return count === 0 ? kind : `${kind}_${count}`;
  };
  /** Adds layers in order; returns the output's name and shape, or why a layer cannot be written. */
  const add = (
    configs: readonly LayerConfig[],
    paramsOf: readonly TensorTree[],
    stateOf: readonly TensorTree[] | undefined,
    input: string,
    shape: Shape,
  ): E.Either<string, { output: string; shape: Shape }> => {
    let current = input;
    let currentShape = shape;
    for (const [i, config] of configs.entries()) {
      if (config.kind === 'sequential') {
        const state = stateOf?.[i];
        const inner = add(
          config.layers,
          (paramsOf[i] ?? []) as readonly TensorTree[],
          Array.isArray(state) ? (state as readonly TensorTree[]) : undefined,
          current,
          currentShape,
        );
        if (E.isLeft(inner)) return inner;
        ({ output: current, shape: currentShape } = inner.right);
        continue;
      }
      const leaf = config as LeafConfig;
      const kind = layerKindOf(leaf);
      const name = layerName(leaf.kind);
      const output = kind.outputShape(leaf, currentShape);
      if (E.isLeft(output)) return E.left(`layer "${name}" needs ${output.left}, not [${currentShape.join(', ')}]`);
      const weights: Record<string, Tensor> = {};
      for (const spec of kind.weights(leaf, currentShape)) {
        const tree = spec.collection === 'params' ? paramsOf[i] : stateOf?.[i];
        const value = (tree as Readonly<Record<string, TensorTree>> | undefined)?.[spec.key];
        if (
          !(value instanceof Tensor) ||
          value.shape.length !== spec.shape.length ||
          value.shape.some((d, axis) => d !== spec.shape[axis])
        ) {
          return E.left(
            `layer "${name}" needs a ${spec.key} of shape [${spec.shape.join(', ')}] in its ${spec.collection}`,
          );
        }
        const bad = firstNonFinite(value.values);
        if (bad !== undefined) return E.left(describeNonFinite(`${name}/${spec.key}`, spec.shape, bad));
        weights[spec.key] = value;
      }
      graph.enter(name);
      current = kind.onnx(leaf, currentShape, current, weights, graph.nodesIn);
      currentShape = output.right;
    }
    return E.right({ output: current, shape: currentShape });
  };
  const input = graph.fresh('input');
  const added = add(saved.config.layers, saved.params, saved.state, input, saved.inputShape);
  if (E.isLeft(added)) return added;
  // The graph's output is named `output`: an Identity gives it that name whatever made it.
  const output = graph.fresh('output');
  graph.nodes.push(
    create(NodeProtoSchema, { name: output, opType: 'Identity', input: [added.right.output], output: [output] }),
  );
  const onnx = create(ModelProtoSchema, {
    irVersion,
    producerName: 'axon',
    producerVersion: options.producerVersion ?? '',
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(onnxOpset) })],
    graph: create(GraphProtoSchema, {
      name: 'axon',
      node: graph.nodes,
      initializer: graph.initializers,
      input: [valueInfo(input, [null, ...saved.inputShape])],
      output: [valueInfo(output, [null, ...added.right.shape])],
    }),
  });
  return E.right(toBinary(ModelProtoSchema, onnx));
}
