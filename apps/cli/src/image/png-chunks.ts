import { constants, inflateSync } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import type { ImageError } from './image-error.js';

// What axon checks in a PNG before handing it to the decoder: the size its header
// claims, and whether its compressed pixel data holds that many pixels. A 68-byte
// file can claim 20000 × 20000 pixels; a decoder would allocate for all of them, and
// pngjs fills missing rows with black rather than saying the file is damaged.

/** The PNG header (IHDR) fields that decide how many bytes of pixel data follow. */
export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlaced: boolean;
}

/** The header and the compressed pixel data (every IDAT chunk, joined) of a PNG. */
export interface PngChunks {
  readonly header: PngHeader;
  readonly compressed: Uint8Array;
}

const signatureLength = 8;
/** Channels per pixel by colour type: grey, RGB, palette index, grey + alpha, RGBA. */
const channels: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7's passes: first column and row, then column and row steps. */
const adam7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/**
 * The error for a damaged PNG, saying why.
 *
 * @example
 * damagedPng('the file ends inside its IDAT chunk'); // { kind: 'damaged-png', message: 'a damaged PNG image (the file ends …)' }
 */
export const damagedPng = (why: string): ImageError => ({
  kind: 'damaged-png',
  message: `a damaged PNG image (${why})`,
});

/**
 * Walks the chunks of a PNG (whose signature has been checked): the header, which must
 * come first, and the pixel data. Left names what is wrong with the structure.
 *
 * @example
 * readPngChunks(await readFile('seven.png')); // right({ header: { width: 120, height: 160, … }, compressed })
 */
export function readPngChunks(bytes: Uint8Array): E.Either<ImageError, PngChunks> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
  let header: PngHeader | undefined;
  const idat: Uint8Array[] = [];
  for (let at = signatureLength; ;) {
    if (at + 8 > bytes.length) return E.left(damagedPng('the file ends before its last chunk'));
    const length = view.getUint32(at);
    const name = type(at + 4);
    const data = at + 8;
    if (data + length + 4 > bytes.length) return E.left(damagedPng(`the file ends inside its ${name} chunk`));
    if (header === undefined) {
      if (name !== 'IHDR' || length !== 13) return E.left(damagedPng('it does not start with a header chunk'));
      header = {
        width: view.getUint32(data),
        height: view.getUint32(data + 4),
        bitDepth: bytes[data + 8],
        colorType: bytes[data + 9],
        interlaced: bytes[data + 12] === 1,
      };
    } else if (name === 'IDAT') {
      idat.push(bytes.subarray(data, data + length));
    } else if (name === 'IEND') {
      return E.right({ header, compressed: Buffer.concat(idat) });
    }
    at = data + length + 4;
  }
}

/**
 * The number of bytes the decompressed pixel data of an image with this header holds:
 * each row (of each interlacing pass) starts with a filter byte.
 *
 * @example
 * pixelDataBytes({ width: 10, height: 10, bitDepth: 8, colorType: 0, interlaced: false }); // 110
 */
export function pixelDataBytes({ width, height, bitDepth, colorType, interlaced }: PngHeader): number {
  const bitsPerPixel = bitDepth * (channels[colorType] ?? 4);
  const rowBytes = (pixels: number): number => 1 + Math.ceil((pixels * bitsPerPixel) / 8);
  if (!interlaced) return height * rowBytes(width);
  return adam7.reduce((total, [x0, y0, dx, dy]) => {
    const [passWidth, passHeight] = [Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)];
    return passWidth > 0 && passHeight > 0 ? total + passHeight * rowBytes(passWidth) : total;
  }, 0);
}

/**
 * Whether the compressed pixel data holds all the pixels the header promises. Left
 * (a damaged image) when the data is cut short or is not valid zlib data. Data beyond
 * the promised size is left to the decoder, which ignores it.
 *
 * @example
 * checkPixelData(chunks); // left({ kind: 'damaged-png', message: 'a damaged PNG image (its pixel data stops after 55 of 110 bytes)' })
 */
export function checkPixelData({ header, compressed }: PngChunks): E.Either<ImageError, void> {
  const expected = pixelDataBytes(header);
  try {
    // A truncated stream gives what it holds rather than an error; the length says the rest.
    const inflated = inflateSync(compressed, { maxOutputLength: expected, finishFlush: constants.Z_SYNC_FLUSH });
    return inflated.length < expected
      ? E.left(
          damagedPng(
            `its pixel data stops after ${inflated.length.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} bytes`,
          ),
        )
      : E.right(undefined);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return E.right(undefined);
    return E.left(
      damagedPng(`its pixel data cannot be decompressed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}
