import type { RgbaImage } from '@axon/explain';
import { PNG } from 'pngjs';

/**
 * An RGBA image as the bytes of a PNG file (8-bit RGBA).
 *
 * @example
 * await writeFileAtomically('explain.png', pngBytes(picture))();
 */
export function pngBytes(image: RgbaImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return new Uint8Array(PNG.sync.write(png));
}
