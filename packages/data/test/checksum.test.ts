// Every file of a named dataset is verified by the SHA-256 of its decompressed content:
// any faithful copy loads however it was compressed, and no changed byte of content does.
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  decodeIdxFile,
  encodeIdx,
  renderDataError,
  sha256Hex,
  verifyChecksums,
  type FileChecksums,
} from '../src/index.js';
import { nodeSha256Hex } from './support/sha256.js';
import { idxArrayArb } from './support/arbitraries.js';
import { repack, repackingArb } from './support/gzip.js';

/** The digests a dataset spec would list for `content` as a mirror serves it (gzip level 9). */
const published = (content: Uint8Array): { readonly gz: Uint8Array; readonly sums: FileChecksums } => {
  const gz = gzipSync(content, { level: 9 });
  return { gz, sums: { contentSha256: nodeSha256Hex(content), sha256: nodeSha256Hex(gz) } };
};

/** IDX content with at least one byte of data after the header. */
const contentArb = idxArrayArb.map((array) => ({ array, content: encodeIdx(array) }));

describe('verification by the decompressed content', () => {
  it('accepts the mirror bytes, a raw copy, and every faithful re-packing', async () => {
    await fc.assert(
      fc.asyncProperty(contentArb, repackingArb, async ({ array, content }, repacking) => {
        const { gz, sums } = published(content);
        const copy = repack(content, repacking);
        expect(gunzipSync(copy)).toEqual(Buffer.from(content)); // the re-packing is faithful
        for (const bytes of [gz, content, copy])
          expect(await decodeIdxFile('f.gz', sums)(bytes)()).toEqual(E.right(array));
      }),
    );
  });

  it('refuses any single changed byte of content, raw or re-gzipped, naming the file and both digests', async () => {
    await fc.assert(
      fc.asyncProperty(
        contentArb,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        repackingArb,
        async ({ content }, at, delta, repacking) => {
          const { sums } = published(content);
          const changed = Uint8Array.from(content);
          changed[at % changed.length] = (changed[at % changed.length] + delta) & 0xff;
          const error = {
            kind: 'checksum-mismatch',
            file: 'f.gz',
            expected: sums.contentSha256,
            actual: nodeSha256Hex(changed),
          };
          for (const bytes of [changed, repack(changed, repacking)])
            expect(await decodeIdxFile('f.gz', sums)(bytes)()).toEqual(E.left(error));
          expect(renderDataError(error as Parameters<typeof renderDataError>[0])).toBe(
            `f.gz: its content (decompressed) has SHA-256 ${error.actual}, not the known ${sums.contentSha256}: the file is damaged or not the expected one`,
          );
        },
      ),
    );
  });

  it('never accepts a gzip file with one changed byte unless its content is unchanged (a header field)', async () => {
    await fc.assert(
      fc.asyncProperty(
        contentArb,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async ({ array, content }, at, delta) => {
          const { gz, sums } = published(content);
          const changed = Uint8Array.from(gz);
          changed[at % changed.length] = (changed[at % changed.length] + delta) & 0xff;
          const result = await decodeIdxFile('f.gz', sums)(changed)();
          if (E.isRight(result)) {
            expect(result.right).toEqual(array);
            expect(gunzipSync(changed)).toEqual(Buffer.from(content));
          }
        },
      ),
    );
  });

  it('takes the mirror file digest as proof of its content without hashing the content', async () => {
    const content = encodeIdx({ type: 'u8', shape: [3], values: Uint8Array.of(1, 2, 3) });
    const gz = gzipSync(content);
    expect(
      await verifyChecksums('f.gz', { sha256: nodeSha256Hex(gz), contentSha256: '0'.repeat(64) }, gz, content)(),
    ).toEqual(E.right(undefined));
    expect(await verifyChecksums('f.gz', { contentSha256: nodeSha256Hex(content) }, gz, content)()).toEqual(
      E.right(undefined),
    );
  });

  it('computes SHA-256 as Node.js does, through the web-standard crypto.subtle', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), async (bytes) => {
        expect(await sha256Hex(bytes)).toBe(nodeSha256Hex(bytes));
      }),
    );
  });

  it('says why a file cannot be verified where there is no crypto.subtle (an insecure browser page)', async () => {
    const subtle = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true });
    try {
      const result = await verifyChecksums(
        'f.gz',
        { contentSha256: '0'.repeat(64) },
        Uint8Array.of(1),
        Uint8Array.of(1),
      )();
      expect(result).toEqual(
        E.left({ kind: 'unverifiable', file: 'f.gz', detail: expect.stringMatching(/secure contexts/) }),
      );
      if (E.isLeft(result))
        expect(renderDataError(result.left)).toMatch(/^f\.gz: cannot be verified \(SHA-256 needs crypto\.subtle/);
    } finally {
      if (subtle !== undefined) Object.defineProperty(globalThis, 'crypto', subtle);
    }
  });
});
