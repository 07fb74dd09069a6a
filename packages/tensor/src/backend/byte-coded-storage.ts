import type { Storage } from './storage.js';

/**
 * Float32 values kept as one byte each: `value[i] = table[codes[i]]`. This is how a data
 * set of 8-bit pixels stays compact (MNIST's training images: 47 MB instead of 188 MB
 * of float32) while it is a float32 tensor like any other: the CPU backends decode only
 * the rows a batch gathers or slices (`decodeInto`), and whatever needs the values whole
 * gets them from `read()`. Decoding is a table look-up, so the values are exactly the
 * table's, bit for bit: build the table with the same arithmetic that would have
 * normalized the bytes one by one.
 */
export class ByteCodedStorage implements Storage<'float32'> {
  readonly dtype = 'float32';
  readonly size: number;
  // The codes' whole buffer as 4-byte words, for decoding four codes per load.
  private readonly words: Uint32Array;
  // The whole decoded array, kept while anything else holds it: a run that reads the values whole more than once decodes them once, and a run that reads them once does not keep them.
  private decoded: WeakRef<Float32Array> | undefined;

  /**
   * @param codes one byte per value; never written again (shared, not copied).
   * @param table the 256 values the codes stand for.
   */
  constructor(
    readonly codes: Uint8Array,
    readonly table: Float32Array,
  ) {
    if (table.length !== 256) throw new RangeError(`a byte-code table has 256 values, got ${table.length}`);
    this.size = codes.length;
    this.words = new Uint32Array(codes.buffer, 0, codes.buffer.byteLength >> 2);
  }

  /** All values, decoded (a new array of `size` floats, unless one decoded earlier is still alive). */
  read(): Float32Array {
    const kept = this.decoded?.deref();
    if (kept !== undefined) return kept;
    const values = new Float32Array(this.size);
    this.decodeInto(values, 0, 0, this.size);
    this.decoded = new WeakRef(values);
    return values;
  }

  /** Decodes values `first .. first + length` into `target` from index `at`. */
  decodeInto(target: Float32Array, at: number, first: number, length: number): void {
    const { codes, table, words } = this;
    // Byte by byte up to a 4-byte boundary of the buffer, then four codes per load (a
    // third faster than byte loads: the batch gather is on every training step's path),
    // then the tail. Bytes are little-endian within a word, as every JavaScript engine
    // that runs WebAssembly lays them out.
    let i = 0;
    while (i < length && ((codes.byteOffset + first + i) & 3) !== 0) {
      target[at + i] = table[codes[first + i]];
      i++;
    }
    const whole = (length - i) >> 2;
    decodeWords(words, table, target, at + i, (codes.byteOffset + first + i) >> 2, whole);
    for (i += 4 * whole; i < length; i++) target[at + i] = table[codes[first + i]];
  }

  /**
   * Decodes the rows `picked` of the values seen as `[outer, axisSize, inner]` into
   * `target` from index `at`, as a gather along the middle axis lays them out.
   */
  decodeRowsInto(
    target: Float32Array,
    at: number,
    picked: Int32Array,
    outer: number,
    axisSize: number,
    inner: number,
  ): void {
    let to = at;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < picked.length; j++) {
        this.decodeInto(target, to, (o * axisSize + picked[j]) * inner, inner);
        to += inner;
      }
    }
  }

  /** Values `first .. first + length` as byte-coded storage of their own: a view, no copy. */
  run(first: number, length: number): ByteCodedStorage {
    return new ByteCodedStorage(this.codes.subarray(first, first + length), this.table);
  }
}

/** Decodes the four codes in each of `count` words from `word` on into `target` from index `at`. */
const decodeWords = (
  words: Uint32Array,
  table: Float32Array,
  target: Float32Array,
  at: number,
  word: number,
  count: number,
): void => {
  for (let w = 0; w < count; w++) {
    const four = words[word + w];
    const o = at + 4 * w;
    target[o] = table[four & 255];
    target[o + 1] = table[(four >>> 8) & 255];
    target[o + 2] = table[(four >>> 16) & 255];
    target[o + 3] = table[four >>> 24];
  }
};
