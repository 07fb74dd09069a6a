/** The typed array that holds each IDX element type. */
export interface IdxValues {
  u8: Uint8Array;
  i8: Int8Array;
  i16: Int16Array;
  i32: Int32Array;
  f32: Float32Array;
  f64: Float64Array;
}

/** The element types the IDX format defines: `u8` (MNIST's pixels and labels) and five more. */
export type IdxType = keyof IdxValues;

/** How one element type is stored: its code in the header, its width, and big-endian access. */
interface IdxTypeInfo<T extends IdxType> {
  readonly code: number;
  readonly bytes: number;
  readonly allocate: (length: number) => IdxValues[T];
  readonly read: (view: DataView, offset: number) => number;
  readonly write: (view: DataView, offset: number, value: number) => void;
}

/**
 * The IDX element types, keyed by name: header code, width in bytes, and big-endian
 * readers and writers (IDX stores every multi-byte value big-endian).
 */
export const idxTypes: { readonly [T in IdxType]: IdxTypeInfo<T> } = {
  u8: {
    code: 0x08,
    bytes: 1,
    allocate: (n) => new Uint8Array(n),
    read: (v, o) => v.getUint8(o),
    write: (v, o, x) => v.setUint8(o, x),
  },
  i8: {
    code: 0x09,
    bytes: 1,
    allocate: (n) => new Int8Array(n),
    read: (v, o) => v.getInt8(o),
    write: (v, o, x) => v.setInt8(o, x),
  },
  i16: {
    code: 0x0b,
    bytes: 2,
    allocate: (n) => new Int16Array(n),
    read: (v, o) => v.getInt16(o),
    write: (v, o, x) => v.setInt16(o, x),
  },
  i32: {
    code: 0x0c,
    bytes: 4,
    allocate: (n) => new Int32Array(n),
    read: (v, o) => v.getInt32(o),
    write: (v, o, x) => v.setInt32(o, x),
  },
  f32: {
    code: 0x0d,
    bytes: 4,
    allocate: (n) => new Float32Array(n),
    read: (v, o) => v.getFloat32(o),
    write: (v, o, x) => v.setFloat32(o, x),
  },
  f64: {
    code: 0x0e,
    bytes: 8,
    allocate: (n) => new Float64Array(n),
    read: (v, o) => v.getFloat64(o),
    write: (v, o, x) => v.setFloat64(o, x),
  },
};

/**
 * Every IDX element type name, in header-code order.
 *
 * @example
 * ```ts
 * idxTypeNames; // ['u8', 'i8', 'i16', 'i32', 'f32', 'f64']
 * ```
 */
export const idxTypeNames: readonly IdxType[] = Object.keys(idxTypes) as IdxType[];

/**
 * The element type with header code `code`, if IDX defines one.
 *
 * @example
 * ```ts
 * idxTypeOfCode(0x08); // 'u8'
 * idxTypeOfCode(0x0a); // undefined
 * ```
 */
export const idxTypeOfCode = (code: number): IdxType | undefined =>
  idxTypeNames.find((name) => idxTypes[name].code === code);

/** True for the integer element types, the only ones labels may have. */
export const isIntegerIdxType = (type: IdxType): boolean => type !== 'f32' && type !== 'f64';
