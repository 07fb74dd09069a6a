import fc from 'fast-check';
import { idxTypeNames, type IdxArray, type IdxType } from '../../src/index.js';

const valuesArb = (type: IdxType, length: number): fc.Arbitrary<IdxArray['values']> => {
  const size = { minLength: length, maxLength: length };
  switch (type) {
    case 'u8':
      return fc.uint8Array(size);
    case 'i8':
      return fc.int8Array(size);
    case 'i16':
      return fc.int16Array(size);
    case 'i32':
      return fc.int32Array(size);
    case 'f32':
      return fc.float32Array(size);
    case 'f64':
      return fc.float64Array(size);
  }
};

/** IDX arrays of every element type and rank 0–5, with small dimensions (zero included). */
export const idxArrayArb: fc.Arbitrary<IdxArray> = fc
  .record({
    type: fc.constantFrom(...idxTypeNames),
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 5 }),
  })
  .chain(({ type, shape }) =>
    valuesArb(
      type,
      shape.reduce((a, b) => a * b, 1),
    ).map((values) => ({ type, shape, values }) as IdxArray),
  );

/** A byte-level mutation of a file: flip, overwrite, cut, or append. */
export const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
);

type Mutation = typeof mutationArb extends fc.Arbitrary<infer T> ? T : never;

/** Applies a mutation from {@link mutationArb} to a copy of `bytes`. */
export const mutate = (bytes: Uint8Array, mutation: Mutation): Uint8Array => {
  const out = Uint8Array.from(bytes);
  switch (mutation.kind) {
    case 'flip':
      if (out.length > 0) out[mutation.at % out.length] ^= 1 << mutation.bit;
      return out;
    case 'set':
      if (out.length > 0) out[mutation.at % out.length] = mutation.value;
      return out;
    case 'cut':
      return out.subarray(0, mutation.at % (out.length + 1));
    case 'append':
      return Uint8Array.from([...out, ...mutation.bytes]);
  }
};
