import * as E from 'fp-ts/lib/Either.js';
import type { LayerSpec } from './saved-model.js';

/** What a layer's weights depend on: its kind and, for a dense layer, its size. */
export type LayerOutline =
  | { readonly kind: 'dense'; readonly name: string; readonly units: number; readonly useBias: boolean }
  | { readonly kind: 'dropout' | 'flatten' | 'activation'; readonly name: string };

/** One weight tensor a model needs, named as Keras and TensorFlow.js name it. */
export interface WeightSlot {
  /** `<layer name>/kernel` or `<layer name>/bias`. */
  readonly name: string;
  /** Index of the layer that owns it. */
  readonly layer: number;
  readonly role: 'kernel' | 'bias';
  readonly shape: readonly number[];
}

/** The weights a model needs and the shape of one output sample. */
export interface WeightLayout {
  readonly slots: readonly WeightSlot[];
  readonly outputShape: readonly number[];
}

/** Bytes per weight value: weights are stored as float32. */
export const bytesPerFloat32 = 4;

/**
 * The number of elements in a tensor of the given shape.
 *
 * @example
 * elementCount([28, 28]); // 784
 * elementCount([]);       // 1
 */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** A layer that cannot take the shape that reaches it. */
export interface LayoutProblem {
  /** Index of the layer. */
  readonly layer: number;
  /** What the layer needs, as a noun phrase. */
  readonly expected: string;
  /** The sample shape that reaches it. */
  readonly inputShape: readonly number[];
}

/**
 * Walks the layers from the input shape and lists every weight they need, in layer
 * order, kernel before bias (the order Keras and TensorFlow.js save them in). A dense
 * layer acts on the last axis, so its kernel is [last input axis, units].
 *
 * Refuses a `Flatten` of a one-axis sample: TensorFlow.js requires at least two axes
 * there, so such a file would not load in it.
 *
 * @example
 * weightLayout([784], [{ kind: 'dense', name: 'dense', units: 10, useBias: true }]);
 * // right({ slots: [{ name: 'dense/kernel', shape: [784, 10], … }, { name: 'dense/bias', shape: [10], … }],
 * //         outputShape: [10] })
 */
export function weightLayout(
  inputShape: readonly number[],
  layers: readonly LayerOutline[],
): E.Either<LayoutProblem, WeightLayout> {
  const slots: WeightSlot[] = [];
  let shape: readonly number[] = inputShape;
  for (const [index, layer] of layers.entries()) {
    if (layer.kind === 'dense') {
      const inputs = shape[shape.length - 1];
      slots.push({ name: `${layer.name}/kernel`, layer: index, role: 'kernel', shape: [inputs, layer.units] });
      if (layer.useBias) slots.push({ name: `${layer.name}/bias`, layer: index, role: 'bias', shape: [layer.units] });
      shape = [...shape.slice(0, -1), layer.units];
    } else if (layer.kind === 'flatten') {
      if (shape.length < 2) {
        const expected = 'a Flatten input of at least 2 axes per sample (TensorFlow.js refuses fewer)';
        return E.left({ layer: index, expected, inputShape: shape });
      }
      shape = [elementCount(shape)];
    }
  }
  return E.right({ slots, outputShape: shape });
}

/**
 * Names layers the way Keras does: the snake-case class name, then `_1`, `_2`, … for
 * later layers of the same class (`dense`, `dense_1`, `dropout`, `dense_2`).
 *
 * @example
 * kerasLayerNames(['dense', 'dropout', 'dense']); // ['dense', 'dropout', 'dense_1']
 */
export function kerasLayerNames(kinds: readonly LayerSpec['kind'][]): string[] {
  const seen = new Map<string, number>();
  return kinds.map((kind) => {
    const count = seen.get(kind) ?? 0;
    seen.set(kind, count + 1);
    return count === 0 ? kind : `${kind}_${count}`;
  });
}

/**
 * The outline of a saved model's layers, named the Keras way.
 *
 * @example
 * outlineOf([{ kind: 'flatten' }]); // [{ kind: 'flatten', name: 'flatten' }]
 */
export function outlineOf(layers: readonly LayerSpec[]): LayerOutline[] {
  const names = kerasLayerNames(layers.map((layer) => layer.kind));
  return layers.map((layer, i) =>
    layer.kind === 'dense'
      ? { kind: 'dense', name: names[i], units: layer.units, useBias: layer.bias !== null }
      : { kind: layer.kind, name: names[i] },
  );
}

/**
 * A model's weight arrays in the order of {@link weightLayout}'s slots: layer by
 * layer, kernel before bias. Decoding hands arrays back to layers in the same order.
 *
 * @example
 * weightArraysOf([dense]); // [dense.kernel, dense.bias]
 */
export function weightArraysOf(layers: readonly LayerSpec[]): Float32Array[] {
  return layers.flatMap((layer) =>
    layer.kind !== 'dense' ? [] : layer.bias === null ? [layer.kernel] : [layer.kernel, layer.bias],
  );
}

/**
 * The number of output units: the size of the last axis of one output sample.
 *
 * @example
 * outputUnits({ slots: [], outputShape: [3, 10] }); // 10
 */
export function outputUnits(layout: WeightLayout): number {
  return layout.outputShape[layout.outputShape.length - 1];
}
