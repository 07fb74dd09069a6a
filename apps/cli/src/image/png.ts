import * as E from 'fp-ts/lib/Either.js';
import { PNG } from 'pngjs';
import type { ImageError } from './image-error.js';

/** An image as 8-bit RGBA, row-major, four bytes per pixel. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Decodes a PNG of any bit depth and colour type (grey, grey + alpha, RGB, RGBA,
 * palette, with or without transparency) to 8-bit RGBA. Refuses bytes that are not a
 * PNG, and PNGs that are damaged.
 *
 * @example
 * decodePng(await readFile('seven.png')); // right({ width: 120, height: 160, data: Uint8Array […] })
 * decodePng(new TextEncoder().encode('GIF89a')); // left({ kind: 'not-png', … })
 */
export function decodePng(bytes: Uint8Array): E.Either<ImageError, RgbaImage> {
  if (bytes.length < signature.length || signature.some((byte, i) => bytes[i] !== byte)) {
    return E.left({ kind: 'not-png', message: 'not a PNG image (it does not start with the PNG signature)' });
  }
  return E.tryCatch(
    () => {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      const data = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
      return { width: png.width, height: png.height, data };
    },
    (error): ImageError => ({
      kind: 'damaged-png',
      message: `a damaged PNG image (${error instanceof Error ? error.message : String(error)})`,
    }),
  );
}
