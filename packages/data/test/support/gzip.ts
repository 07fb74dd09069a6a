import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

/** How a faithful copy may differ from the mirror's `.gz`: compression settings and header fields. */
export interface Repacking {
  readonly level: number;
  readonly memLevel: number;
  readonly strategy: number;
  readonly mtime: number;
  readonly os: number;
  readonly name?: string;
  readonly comment?: string;
  readonly extra?: Uint8Array;
}

const latin1 = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 24,
});

/** Every way gzip tools and distributions re-pack a file without touching its content. */
export const repackingArb: fc.Arbitrary<Repacking> = fc.record(
  {
    level: fc.integer({ min: 0, max: 9 }),
    memLevel: fc.integer({ min: 1, max: 9 }),
    strategy: fc.integer({ min: 0, max: 4 }),
    mtime: fc.nat({ max: 0xffff_ffff }),
    os: fc.integer({ min: 0, max: 255 }),
    name: latin1,
    comment: latin1,
    extra: fc.uint8Array({ maxLength: 12 }),
  },
  { requiredKeys: ['level', 'memLevel', 'strategy', 'mtime', 'os'] },
);

const zeroTerminated = (text: string): number[] => [...Buffer.from(text, 'latin1'), 0];

/**
 * `content` gzipped with other settings and another header (RFC 1952: time stamp, OS,
 * and the optional name, comment and extra fields), as a distribution might re-pack it.
 */
export const repack = (content: Uint8Array, r: Repacking): Uint8Array => {
  const deflated = gzipSync(content, { level: r.level, memLevel: r.memLevel, strategy: r.strategy });
  // zlib writes a bare 10-byte header; the deflate stream and the trailer follow it.
  const flags =
    (r.extra === undefined ? 0 : 0x04) | (r.name === undefined ? 0 : 0x08) | (r.comment === undefined ? 0 : 0x10);
  const mtime = [0, 8, 16, 24].map((shift) => (r.mtime >>> shift) & 0xff);
  const header = [0x1f, 0x8b, 8, flags, ...mtime, deflated[8], r.os];
  const extra = r.extra === undefined ? [] : [r.extra.length & 0xff, r.extra.length >> 8, ...r.extra];
  const name = r.name === undefined ? [] : zeroTerminated(r.name);
  const comment = r.comment === undefined ? [] : zeroTerminated(r.comment);
  return Uint8Array.from([...header, ...extra, ...name, ...comment, ...deflated.subarray(10)]);
};

/** `bytes` gzipped by Node.js's zlib when `gzip` is true, else `bytes` as they are. */
export const gzipIf = (bytes: Uint8Array, gzip: boolean): Uint8Array =>
  gzip ? new Uint8Array(gzipSync(bytes)) : bytes;
