import type { Shape } from '@axon/tensor';

/** Bytes per weight value: weights are stored as float32. */
export const bytesPerFloat32 = 4;

/**
 * The number of elements in a tensor of the given shape.
 *
 * @example
 * elementCount([28, 28]); // 784
 * elementCount([]);       // 1
 */
export const elementCount = (shape: Shape): number => shape.reduce((product, size) => product * size, 1);

/**
 * Reads `count` little-endian float32 values from `data` at byte `offset` (the
 * format's byte order, whatever the machine's).
 *
 * @example
 * readFloat32s(new Uint8Array([0, 0, 128, 63]), 0, 1); // Float32Array [1]
 */
export function readFloat32s(data: Uint8Array, offset: number, count: number): Float32Array {
  const view = new DataView(data.buffer, data.byteOffset + offset, count * bytesPerFloat32);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * bytesPerFloat32, true);
  return values;
}

/**
 * Concatenates arrays of values as little-endian float32.
 *
 * @example
 * writeFloat32s([new Float32Array([1])]); // Uint8Array [0, 0, 128, 63]
 */
export function writeFloat32s(arrays: readonly ArrayLike<number>[]): Uint8Array {
  const bytes = new Uint8Array(arrays.reduce((total, array) => total + array.length * bytesPerFloat32, 0));
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const array of arrays) {
    for (let i = 0; i < array.length; i++) {
      view.setFloat32(offset, array[i], true);
      offset += bytesPerFloat32;
    }
  }
  return bytes;
}

/** Where a tensor first holds NaN or ±Infinity. */
export interface NonFinite {
  /** Flat (row-major) index. */
  readonly index: number;
  readonly value: number;
}

/**
 * The first NaN or infinite value of an array, if any.
 *
 * @example
 * firstNonFinite([1, NaN, Infinity]); // { index: 1, value: NaN }
 */
export function firstNonFinite(values: ArrayLike<number>): NonFinite | undefined {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return { index: i, value: values[i] };
  return undefined;
}

/**
 * A flat index as the element it is in a tensor of `shape`.
 *
 * @example
 * unravelIndex(17, [2, 10]); // [1, 7]
 */
export function unravelIndex(index: number, shape: Shape): number[] {
  const out = new Array<number>(shape.length);
  let rest = index;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    out[axis] = rest % shape[axis];
    rest = Math.floor(rest / shape[axis]);
  }
  return out;
}

/**
 * Says where a tensor holds a non-finite value, for a one-line error.
 *
 * @example
 * describeNonFinite('dense/kernel', [2, 10], { index: 17, value: NaN });
 * // 'dense/kernel holds NaN at index 17 (element [1, 7] of [2, 10])'
 */
export const describeNonFinite = (name: string, shape: Shape, bad: NonFinite): string =>
  `${name} holds ${bad.value} at index ${bad.index} (element [${unravelIndex(bad.index, shape).join(', ')}] of [${shape.join(', ')}])`;
