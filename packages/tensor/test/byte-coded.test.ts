import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';

/** The tutorial's scaling, computed as the CLI normalizes a pixel: in float64, then rounded to float32. */
const unit = Float32Array.from({ length: 256 }, (_, v) => v * (1 / 255));

/** `codes` normalized one by one: what a byte-coded tensor must equal bit for bit. */
const decoded = (codes: Uint8Array, table: Float32Array): Float32Array => Float32Array.from(codes, (c) => table[c]);

const bits = (x: T.TypedArray): number[] => Array.from(new Uint32Array(Float32Array.from(x).buffer));

describe('byte-coded tensors', () => {
  it('hold the table value of every code, bit for bit, whole and in any run at any byte offset', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.nat(7),
        fc.nat(),
        fc.nat(),
        (bytes, offset, a, b) => {
          // A view at an odd offset into a larger buffer, as a decompressed IDX file's pixels are.
          const buffer = new Uint8Array(bytes.length + offset);
          buffer.set(bytes, offset);
          const codes = buffer.subarray(offset);
          const storage = new T.ByteCodedStorage(codes, unit);
          expect(bits(storage.read())).toEqual(bits(decoded(codes, unit)));
          const first = a % codes.length;
          const length = b % (codes.length - first + 1);
          const out = new Float32Array(length + 3);
          storage.decodeInto(out, 3, first, length);
          expect(bits(out.subarray(3))).toEqual(bits(decoded(codes.subarray(first, first + length), unit)));
        },
      ),
    );
  });

  it('gather and slice the same rows as the float32 tensor they stand for, on the reference backend', () => {
    const codes = Uint8Array.from({ length: 6 * 5 * 4 }, (_, i) => (i * 37) & 255);
    const x = T.byteCoded(codes, unit, [6, 5, 4]);
    const floats = T.tensor(decoded(codes, unit), { shape: [6, 5, 4] });
    expect(x.dtype).toBe('float32');
    expect(bits(x.values)).toEqual(bits(floats.values));
    const indices = T.tensor([5, 0, 5, 2], { dtype: 'int32' });
    expect(bits(T.gather(x, indices).values)).toEqual(bits(T.gather(floats, indices).values));
    const inner = T.tensor([4, 0, 1], { dtype: 'int32' });
    expect(bits(T.gather(x, inner, 1).values)).toEqual(bits(T.gather(floats, inner, 1).values));
    // Rows stay byte-coded; a box that is not whole rows is decoded.
    const rows = T.slice(x, [2, 0, 0], [3, 5, 4]);
    expect(rows.storage).toBeInstanceOf(T.ByteCodedStorage);
    expect(bits(rows.values)).toEqual(bits(T.slice(floats, [2, 0, 0], [3, 5, 4]).values));
    const box = T.slice(x, [1, 1, 1], [2, 3, 2]);
    expect(bits(box.values)).toEqual(bits(T.slice(floats, [1, 1, 1], [2, 3, 2]).values));
    // Ops on the whole tensor read it decoded; reshaping keeps the codes.
    expect(bits(T.add(x, 1).values)).toEqual(bits(T.add(floats, 1).values));
    expect(T.reshape(x, [6, 20]).storage).toBe(x.storage);
  });

  it('refuse codes that do not fill the shape and tables that are not 256 values', () => {
    expect(() => T.byteCoded(new Uint8Array(5), unit, [2, 3])).toThrow(/5 codes cannot fill shape \[2,3\]/);
    expect(() => T.byteCoded(new Uint8Array(6), new Float32Array(255), [2, 3])).toThrow(/256 values.*got 255/);
  });
});
