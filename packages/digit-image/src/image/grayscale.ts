import type { GrayImage } from './gray-image.js';
import type { RgbaImage } from './rgba-image.js';

// ITU-R BT.601 luma weights, as most image libraries use to turn RGB into grey.
const lumaOf = (r: number, g: number, b: number): number => (0.299 * r + 0.587 * g + 0.114 * b) / 255;

/**
 * Converts RGBA to grey in [0, 1]. Transparent parts are composited over the backdrop
 * that contrasts with what is drawn: white behind dark strokes, black behind light
 * ones (judged by the alpha-weighted mean grey of the image), so a digit drawn on a
 * transparent canvas stays visible whatever its colour.
 *
 * @example
 * toGrayscale({ width: 1, height: 1, data: new Uint8Array([255, 255, 255, 255]) }).pixels; // Float64Array [1]
 */
export function toGrayscale(image: RgbaImage): GrayImage & { readonly pixels: Float64Array } {
  const count = image.width * image.height;
  const luma = new Float64Array(count);
  const alpha = new Float64Array(count);
  let inkWeight = 0;
  let inkGrey = 0;
  for (let i = 0; i < count; i++) {
    const d = image.data;
    luma[i] = lumaOf(d[4 * i], d[4 * i + 1], d[4 * i + 2]);
    alpha[i] = d[4 * i + 3] / 255;
    inkWeight += alpha[i];
    inkGrey += alpha[i] * luma[i];
  }
  const backdrop = inkWeight > 0 && inkGrey / inkWeight < 0.5 ? 1 : 0;
  const pixels = new Float64Array(count);
  for (let i = 0; i < count; i++) pixels[i] = alpha[i] * luma[i] + (1 - alpha[i]) * backdrop;
  return { width: image.width, height: image.height, pixels };
}
