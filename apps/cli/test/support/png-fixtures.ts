import { PNG, type BitDepth, type ColorType } from 'pngjs';

/** A shape in the unit square: whether point (u, v) is ink. */
export type Shape = (u: number, v: number) => boolean;

const distanceToSegment = (u: number, v: number, [ax, ay]: [number, number], [bx, by]: [number, number]): number => {
  const t = Math.max(0, Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(u - ax - t * (bx - ax), v - ay - t * (by - ay));
};

/** A handwritten-looking seven: a bar across the top and a slanted stroke down. */
export const seven: Shape = (u, v) =>
  distanceToSegment(u, v, [0.15, 0.12], [0.85, 0.12]) < 0.08 || distanceToSegment(u, v, [0.85, 0.12], [0.4, 0.92]) < 0.08;

/** A zero: an elliptical ring. */
export const zero: Shape = (u, v) => {
  const r = Math.hypot((u - 0.5) / 0.3, (v - 0.5) / 0.45);
  return r > 0.72 && r < 1;
};

/** A one: a single slanted stroke, much taller than wide. */
export const one: Shape = (u, v) => distanceToSegment(u, v, [0.55, 0.05], [0.45, 0.95]) < 0.06;

/** Where a shape is drawn on a canvas, in pixels. */
export interface Placement {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
  readonly size: number;
}

/**
 * How much of each pixel the shape covers (0–1), by 4×4 supersampling, with the
 * shape's unit square drawn at `left, top` with side `size`.
 */
export function coverage(shape: Shape, { width, height, left, top, size }: Placement): Float64Array {
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) hits += shape((x + (sx + 0.5) / 4 - left) / size, (y + (sy + 0.5) / 4 - top) / size) ? 1 : 0;
      }
      out[y * width + x] = hits / 16;
    }
  }
  return out;
}

/** RGBA bytes from a colour per pixel. */
export function rgba(count: number, colour: (i: number) => readonly [number, number, number, number]): Buffer {
  const data = Buffer.alloc(4 * count);
  for (let i = 0; i < count; i++) data.set(colour(i), 4 * i);
  return data;
}

/**
 * Encodes 8-bit RGBA bytes as a PNG of the given colour type and bit depth (for 16
 * bits, pngjs takes 16-bit input, so each value v becomes v × 257).
 */
export function encodePng(width: number, height: number, data: Buffer, colorType: ColorType = 6, bitDepth: BitDepth = 8): Uint8Array {
  const png = new PNG({ width, height });
  png.data = bitDepth === 8 ? Buffer.from(data) : Buffer.from(Uint16Array.from(data, (v) => v * 257).buffer);
  return PNG.sync.write(png, { colorType, bitDepth, inputHasAlpha: true });
}

/** A grey level 0–255 as an opaque RGBA colour. */
export const opaqueGrey = (level: number): readonly [number, number, number, number] => {
  const g = Math.round(level);
  return [g, g, g, 255];
};

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
  return Buffer.concat([signature, pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', new Uint8Array(0))]);
}
