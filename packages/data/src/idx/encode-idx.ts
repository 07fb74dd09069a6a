import { sizeOf } from '@axon/tensor';
import type { IdxArray } from './idx-array.js';
import { idxTypes } from './idx-type.js';

const MAX_RANK = 255;
const MAX_DIMENSION = 0xffffffff;

/**
 * Writes an IDX file: the big-endian header for `array`'s type and shape, then its
 * values big-endian. {@link parseIdx} reads the result back unchanged. Throws a
 * `RangeError` for an array the format cannot hold (rank above 255, a dimension that is
 * not a uint32, or values that do not fill the shape): that is a programming error,
 * not bad input. `gzip` compresses the result, as the public MNIST files are.
 *
 * @example
 * ```ts
 * encodeIdx({ type: 'u8', shape: [2], values: Uint8Array.of(7, 3) });
 * // Uint8Array [0, 0, 8, 1, 0, 0, 0, 2, 7, 3]
 * ```
 */
export const encodeIdx = (array: IdxArray): Uint8Array => {
  const { shape, values } = array;
  const info = idxTypes[array.type];
  if (shape.length > MAX_RANK) throw new RangeError(`encodeIdx: rank ${shape.length} exceeds IDX's ${MAX_RANK}`);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0 && d <= MAX_DIMENSION)) {
    throw new RangeError(`encodeIdx: dimensions must be uint32, got [${shape.join(',')}]`);
  }
  if (sizeOf(shape) !== values.length) {
    throw new RangeError(`encodeIdx: ${values.length} values cannot fill shape [${shape.join(',')}]`);
  }
  const headerBytes = 4 + 4 * shape.length;
  const bytes = new Uint8Array(headerBytes + values.length * info.bytes);
  const view = new DataView(bytes.buffer);
  bytes[2] = info.code;
  bytes[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  for (let i = 0; i < values.length; i++) info.write(view, headerBytes + i * info.bytes, values[i]);
  return bytes;
};
