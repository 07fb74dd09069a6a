import { PNG, type BitDepth, type ColorType } from 'pngjs';

// The synthetic digits live with the preprocessing they test; PNG encoding is the CLI's.
export { coverage, one, opaqueGrey, rgba, seven, zero, type Placement, type Shape } from '@axon/digit-image/testing';

/**
 * Encodes 8-bit RGBA bytes as a PNG of the given colour type and bit depth (for 16
 * bits, pngjs takes 16-bit input, so each value v becomes v × 257).
 */
export function encodePng(
  width: number,
  height: number,
  data: Uint8Array,
  colorType: ColorType = 6,
  bitDepth: BitDepth = 8,
): Uint8Array {
  const png = new PNG({ width, height });
  png.data = bitDepth === 8 ? Buffer.from(data) : Buffer.from(Uint16Array.from(data, (v) => v * 257).buffer);
  return PNG.sync.write(png, { colorType, bitDepth, inputHasAlpha: true });
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** PNG's CRC-32 of a chunk's type and data. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk: length, type, data and CRC. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const framed = Buffer.alloc(typed.length + 8);
  framed.writeUInt32BE(data.length, 0);
  typed.copy(framed, 4);
  framed.writeUInt32BE(crc32(typed), typed.length + 4);
  return framed;
}

/** The fields of a PNG header chunk. */
export interface RawPngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlaced: boolean;
}

/**
 * A PNG built chunk by chunk, with whatever header it is given and `idat` as its
 * compressed pixel data (no check that the two agree): for images that lie about
 * their size or stop short.
 */
export function rawPng(header: RawPngHeader, idat: Uint8Array): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(header.width, 0);
  ihdr.writeUInt32BE(header.height, 4);
  ihdr[8] = header.bitDepth;
  ihdr[9] = header.colorType;
  ihdr[12] = header.interlaced ? 1 : 0;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}
