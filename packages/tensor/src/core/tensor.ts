import type { Backend } from '../backend/backend.js';
import type { Storage } from '../backend/storage.js';
import type { DType, TypedArrayFor } from './dtype.js';
import { showShape } from './error.js';
import { sizeOf, type Shape } from './shape.js';

/**
 * One differentiation in progress: one call of `grad`, `valueAndGrad` or
 * `valueAndGradWithAux`. Every tensor computed from its arguments carries it. Ops record
 * nodes only for traces that are `recording` (running the differentiated function);
 * once a trace's backward pass starts it stops recording, so that pass builds a graph
 * exactly when an enclosing differentiation is still recording: that graph is how
 * gradients of gradients are taken.
 */
export interface Trace {
  readonly recording: boolean;
}

/**
 * How a tensor was computed, kept only while a gradient is being taken: the tensors
 * it was computed from, the vector-Jacobian product of the op that made it, and the
 * differentiations it belongs to.
 */
export interface GradNode {
  readonly inputs: readonly Tensor[];
  /** The traces this tensor depends on: those of its inputs, or its own for a differentiated argument. */
  readonly traces: readonly Trace[];
  /**
   * Maps the cotangent of the output to cotangents of the inputs. `needed[i]` is
   * false when input `i` does not lead to a differentiated argument, so its
   * cotangent may be skipped (returned as `undefined`).
   */
  readonly vjp: (cotangent: Tensor, needed: readonly boolean[]) => readonly (Tensor | undefined)[];
}

/** Nested arrays of numbers, as `tensor([[1, 2], [3, 4]])` takes and `toArray` gives. */
export type NestedArray = number | readonly NestedArray[];

/**
 * An immutable n-dimensional array. A tensor is a plain value: no op ever writes to
 * its storage, there is nothing to dispose, and garbage collection frees it. (On
 * backends that manage their own memory, such as wasm, a training step, `evaluate` and
 * `predict` also free at once what they make and do not return.)
 *
 * Build tensors with {@link tensor}, {@link zeros} and friends; transform them with
 * ops such as `add`, `matmul` and `relu`.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * x.shape;      // [2, 2]
 * x.toArray();  // [[1, 2], [3, 4]]
 * ```
 */
export class Tensor<D extends DType = DType> {
  /** Number of elements. */
  readonly size: number;

  /** @internal Use the creation functions; this constructor does not validate. */
  constructor(
    readonly shape: Shape,
    readonly dtype: D,
    readonly storage: Storage<D>,
    /** The backend that runs ops on this tensor. */
    readonly backend: Backend,
    /** @internal Set while a gradient is being traced through this tensor. */
    readonly node?: GradNode,
  ) {
    this.size = sizeOf(shape);
  }

  /** Number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /**
   * The elements in row-major order. The array belongs to the tensor: read it, never
   * write to it (copy with `.slice()` first).
   */
  get values(): TypedArrayFor[D] {
    return this.storage.read();
  }

  /** The elements as nested arrays, e.g. `[[1, 2], [3, 4]]`; a scalar gives a number. */
  toArray(): NestedArray {
    const values = this.values;
    const build = (axis: number, offset: number, stride: number): NestedArray => {
      if (axis === this.shape.length) return values[offset];
      const extent = this.shape[axis];
      const inner = stride / Math.max(extent, 1);
      return Array.from({ length: extent }, (_, i) => build(axis + 1, offset + i * inner, inner));
    };
    return build(0, 0, this.size);
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new RangeError(`item: tensor of shape ${showShape(this.shape)} has ${this.size} elements, not 1`);
    }
    return this.values[0];
  }

  toString(): string {
    return `Tensor(${this.dtype}${showShape(this.shape)} ${JSON.stringify(this.toArray())})`;
  }
}

/** A tensor whose elements are floating point, the kind gradients flow through. */
export type FloatTensor = Tensor<'float32'> | Tensor<'float64'>;
