import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { PNG } from 'pngjs';
import type { RgbaImage as DigitRgbaImage } from '@axon/digit-image';
import type { ImageError } from './image-error.js';
import { checkPixelData, damagedPng, readPngChunks, type PngChunks } from './png-chunks.js';

/** An image as 8-bit RGBA, row-major, four bytes per pixel. */
export type RgbaImage = DigitRgbaImage & { readonly data: Uint8Array };

const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The most pixels `axon` reads from an image: 4096 × 4096. Decoding takes about 50 bytes
 * per pixel (RGBA, then greys in double precision), so this bounds it near 850 MB; a
 * 12-megapixel phone photo fits.
 */
export const maxImagePixels = 4096 * 4096;

/**
 * Refuses an image whose header claims more than {@link maxImagePixels} pixels, before
 * anything is allocated for them.
 */
const checkSize = ({ header }: PngChunks): E.Either<ImageError, void> =>
  header.width * header.height > maxImagePixels
    ? E.left({
        kind: 'too-large',
        message: `the image is ${header.width} × ${header.height} pixels, more than the ${maxImagePixels.toLocaleString('en-US')} (4096 × 4096) axon reads; scale it down first`,
      })
    : E.right(undefined);

/**
 * Decodes a PNG of any bit depth and colour type (grey, grey + alpha, RGB, RGBA,
 * palette, with or without transparency) to 8-bit RGBA. Refuses bytes that are not a
 * PNG, PNGs of more than {@link maxImagePixels} pixels (checked in the header, before
 * decoding), and damaged PNGs, including those whose pixel data is cut short.
 *
 * @example
 * decodePng(await readFile('seven.png')); // right({ width: 120, height: 160, data: Uint8Array […] })
 * decodePng(new TextEncoder().encode('GIF89a')); // left({ kind: 'not-png', … })
 */
export function decodePng(bytes: Uint8Array): E.Either<ImageError, RgbaImage> {
  if (bytes.length < signature.length || signature.some((byte, i) => bytes[i] !== byte)) {
    return E.left({ kind: 'not-png', message: 'not a PNG image (it does not start with the PNG signature)' });
  }
  return pipe(
    readPngChunks(bytes),
    E.chainFirst(checkSize),
    E.chainFirst(checkPixelData),
    E.chain(() =>
      E.tryCatch(
        () => {
          const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          const data = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
          return { width: png.width, height: png.height, data };
        },
        (error) => damagedPng(error instanceof Error ? error.message : String(error)),
      ),
    ),
  );
}
