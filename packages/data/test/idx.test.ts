import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decompressIfGzip } from '../src/compression/gunzip.js';
import { parseOwnedIdx } from '../src/idx/parse-idx.js';
import { idxTypes } from '../src/idx/idx-type.js';
import { decodeIdxFile, encodeIdx, gzip, parseIdx, renderDataError, type IdxArray } from '../src/index.js';
import { idxArrayArb, mutate, mutationArb } from './support/arbitraries.js';
import { leftOf } from './support/either.js';
import { gzipIf } from './support/gzip.js';

/** Header bytes: magic, type code, rank, then big-endian dimensions. */
const header = (code: number, shape: readonly number[]): number[] => [
  0,
  0,
  code,
  shape.length,
  ...shape.flatMap((d) => [d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255]),
];

describe('IDX round trip', () => {
  it('parse(encode(a)) returns a, for every element type and rank', () => {
    fc.assert(
      fc.property(idxArrayArb, (array) => {
        expect(parseIdx(encodeIdx(array), 'a.idx')).toEqual(E.right(array));
      }),
    );
  });

  it('decodeIdxFile reads the same arrays gzipped, by the web-standard DecompressionStream', async () => {
    await fc.assert(
      fc.asyncProperty(idxArrayArb, fc.boolean(), async (array, gzip) => {
        expect(await decodeIdxFile('a.idx', undefined)(gzipIf(encodeIdx(array), gzip))()).toEqual(E.right(array));
      }),
      { numRuns: 50 },
    );
  });

  it('writes the header and the values big-endian', () => {
    const array: IdxArray = { type: 'i16', shape: [2], values: Int16Array.of(0x0102, -2) };
    expect([...encodeIdx(array)]).toEqual([...header(0x0b, [2]), 0x01, 0x02, 0xff, 0xfe]);
  });

  it('reads a hand-written file', () => {
    const bytes = Uint8Array.of(...header(0x0d, [1, 2]), 0x3f, 0x80, 0, 0, 0xc0, 0, 0, 0);
    expect(parseIdx(bytes, 'f.idx')).toEqual(E.right({ type: 'f32', shape: [1, 2], values: Float32Array.of(1, -2) }));
  });

  it('returns values that own their buffer', () => {
    const bytes = encodeIdx({ type: 'u8', shape: [3], values: Uint8Array.of(1, 2, 3) });
    const parsed = parseIdx(bytes, 'a.idx');
    bytes.fill(9);
    expect(parsed).toEqual(E.right({ type: 'u8', shape: [3], values: Uint8Array.of(1, 2, 3) }));
  });

  it('parseOwnedIdx parses as parseIdx does, with one-byte values a view of the bytes it is handed', () => {
    fc.assert(
      fc.property(idxArrayArb, (array) => {
        const bytes = encodeIdx(array);
        const owned = parseOwnedIdx(bytes, 'a.idx');
        expect(owned).toEqual(parseIdx(bytes, 'a.idx'));
        if (E.isRight(owned)) expect(owned.right.values.buffer === bytes.buffer).toBe(idxTypes[array.type].bytes === 1);
      }),
    );
  });

  it('decodeIdxFile hashes with the function it is given', async () => {
    const bytes = encodeIdx({ type: 'u8', shape: [2], values: Uint8Array.of(7, 3) });
    const hashed: number[] = [];
    const sha256 = (b: Uint8Array) => {
      hashed.push(b.length);
      return Promise.resolve('0'.repeat(64));
    };
    const decoded = await decodeIdxFile('a.idx', { contentSha256: '0'.repeat(64) }, sha256)(gzipSync(bytes))();
    expect(decoded).toEqual(parseIdx(bytes, 'a.idx'));
    expect(hashed).toEqual([bytes.length]);
  });

  it('refuses arrays the format cannot hold', () => {
    expect(() => encodeIdx({ type: 'u8', shape: [2], values: new Uint8Array(3) })).toThrow(RangeError);
    expect(() => encodeIdx({ type: 'u8', shape: [-1], values: new Uint8Array(0) })).toThrow(/uint32/);
    expect(() => encodeIdx({ type: 'u8', shape: new Array<number>(256).fill(1), values: new Uint8Array(1) })).toThrow(
      /rank/,
    );
  });
});

describe('IDX fuzzing: bad bytes parse or give a typed error, never throw', () => {
  const expectTotal = (bytes: Uint8Array) => {
    const result = parseIdx(bytes, 'fuzz.idx');
    if (E.isLeft(result)) {
      expect(result.left.file).toBe('fuzz.idx');
      expect(renderDataError(result.left)).toMatch(/^fuzz\.idx: [^\n]+$/);
    }
  };

  it('random byte strings', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), expectTotal), { numRuns: 300 });
  });

  it('random byte strings behind an IDX or gzip prefix', () => {
    const prefix = fc.constantFrom([0, 0], [0, 0, 8], [0, 0, 0x0d, 2], [0x1f, 0x8b], [0x1f, 0x8b, 8, 0]);
    fc.assert(
      fc.property(prefix, fc.uint8Array({ maxLength: 300 }), (p, rest) => expectTotal(Uint8Array.of(...p, ...rest))),
      { numRuns: 300 },
    );
  });

  it('valid files with mutations (flipped or overwritten bytes, cut, trailing bytes)', () => {
    fc.assert(
      fc.property(idxArrayArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (array, mutations) =>
        expectTotal(mutations.reduce(mutate, encodeIdx(array))),
      ),
      { numRuns: 300 },
    );
  });

  it('gzipped files with mutations decode or give a typed error through decodeIdxFile', async () => {
    await fc.assert(
      fc.asyncProperty(idxArrayArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (array, mutations) => {
        const result = await decodeIdxFile(
          'fuzz.gz',
          undefined,
        )(mutations.reduce(mutate, gzipIf(encodeIdx(array), true)))();
        if (E.isLeft(result)) expect(renderDataError(result.left)).toMatch(/^fuzz\.gz: [^\n]+$/);
      }),
      { numRuns: 100 },
    );
  });
});

describe('IDX validation errors', () => {
  const valid = encodeIdx({ type: 'u8', shape: [2, 3], values: Uint8Array.of(1, 2, 3, 4, 5, 6) });

  it('wrong magic', () => {
    expect(leftOf(parseIdx(Uint8Array.of(1, 0, 8, 1, 0, 0, 0, 0), 'x.idx'))).toEqual({
      kind: 'bad-magic',
      file: 'x.idx',
      magic: [1, 0, 8, 1],
    });
    expect(renderDataError(leftOf(parseIdx(new TextEncoder().encode('hello'), 'x.txt')))).toBe(
      'x.txt: not an IDX file (starts with 68 65 6c 6c; IDX files start with 00 00)',
    );
  });

  it('unknown type code, for every code IDX does not define', () => {
    const known = new Set(Object.values(idxTypes).map((t) => t.code));
    for (let code = 0; code < 256; code++) {
      if (known.has(code)) continue;
      expect(leftOf(parseIdx(Uint8Array.of(0, 0, code, 0), 'x.idx'))).toEqual({
        kind: 'unknown-type',
        file: 'x.idx',
        code,
      });
    }
  });

  it('header longer than the file', () => {
    expect(leftOf(parseIdx(Uint8Array.of(0, 0), 'x.idx'))).toMatchObject({
      kind: 'truncated-header',
      expected: 4,
      actual: 2,
    });
    expect(leftOf(parseIdx(valid.subarray(0, 10), 'x.idx'))).toEqual({
      kind: 'truncated-header',
      file: 'x.idx',
      expected: 12,
      actual: 10,
    });
  });

  it('data shorter than the dimensions say', () => {
    const error = leftOf(parseIdx(valid.subarray(0, valid.length - 1), 'x.idx'));
    expect(error).toEqual({ kind: 'data-length', file: 'x.idx', type: 'u8', shape: [2, 3], expected: 6, actual: 5 });
    expect(renderDataError(error)).toMatch(/file truncated/);
  });

  it('data longer than the dimensions say', () => {
    const error = leftOf(parseIdx(Uint8Array.of(...valid, 0), 'x.idx'));
    expect(error).toMatchObject({ kind: 'data-length', expected: 6, actual: 7 });
    expect(renderDataError(error)).toMatch(/trailing bytes/);
  });

  it('data length counts the element width', () => {
    const f64 = encodeIdx({ type: 'f64', shape: [3], values: Float64Array.of(1, 2, 3) });
    expect(leftOf(parseIdx(f64.subarray(0, f64.length - 4), 'x.idx'))).toMatchObject({ expected: 24, actual: 20 });
  });

  it('huge dimensions fail the length check instead of allocating', () => {
    const bytes = Uint8Array.of(...header(0x0e, [0xffffffff, 0xffffffff, 0xffffffff]));
    expect(leftOf(parseIdx(bytes, 'x.idx'))).toMatchObject({ kind: 'data-length', actual: 0 });
  });

  it('a truncated gzip stream', async () => {
    const gz = gzipSync(valid);
    expect(leftOf(await decodeIdxFile('x.gz', undefined)(gz.subarray(0, gz.length >> 1))())).toMatchObject({
      kind: 'truncated-gzip',
      file: 'x.gz',
    });
  });

  it('a corrupt gzip stream', async () => {
    const gz = Uint8Array.from(gzipSync(valid));
    gz[gz.length - 6] ^= 0xff; // inside the CRC-32 of the trailer
    const error = leftOf(await decodeIdxFile('x.gz', undefined)(gz)());
    expect(error).toMatchObject({ kind: 'corrupt-gzip', file: 'x.gz' });
    expect(renderDataError(error)).toMatch(/^x\.gz: the gzip stream is corrupt/);
  });

  it('gzip is detected by content, not by name', async () => {
    expect(await decodeIdxFile('no-extension', undefined)(gzipSync(valid))()).toEqual(parseIdx(valid, 'file.gz'));
  });

  it('parseIdx names a gzipped file as such', () => {
    expect(renderDataError(leftOf(parseIdx(gzipSync(valid), 'x.gz')))).toBe(
      'x.gz: gzip-compressed IDX; decompress it first (decodeIdxFile reads gzipped and raw IDX alike)',
    );
  });

  it('decompresses concatenated gzip members, whose trailer records only the last member size', async () => {
    const first = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 251);
    const last = Uint8Array.of(1, 2, 3);
    const joined = Uint8Array.from([...gzipSync(first), ...gzipSync(last)]);
    expect(await decompressIfGzip(joined, 'x.gz')()).toEqual(E.right(Uint8Array.from([...first, ...last])));
  });

  it('gzip round-trips through the web-standard CompressionStream', async () => {
    expect(await decodeIdxFile('x.gz', undefined)(await gzip(valid))()).toEqual(parseIdx(valid, 'x'));
  });
});
