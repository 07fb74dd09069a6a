import type { RgbaImage } from '@axon/explain';
import { lineHeight, textPixels, textWidth } from './font.js';

/** An RGB colour, 0–255 per channel. */
export type Rgb = readonly [number, number, number];

/** Something to draw: an image scaled up by whole pixels, or a line of text in the pixel font. */
export type Drawing =
  | {
      readonly kind: 'image';
      readonly image: RgbaImage;
      readonly x: number;
      readonly y: number;
      readonly scale: number;
    }
  | {
      readonly kind: 'text';
      readonly text: string;
      readonly x: number;
      readonly y: number;
      readonly scale: number;
      readonly color: Rgb;
    };

/**
 * Draws `drawings` in order on a `width` × `height` canvas of `background`: images
 * scaled by repeating pixels (so pixels stay sharp), text in the 7-pixel font, each
 * font pixel `scale` canvas pixels square. What falls outside the canvas is cut off.
 *
 * @example
 * paint(280, 300, [0, 0, 0], [{ kind: 'image', image: digit, x: 0, y: 0, scale: 10 }, { kind: 'text', text: '7', x: 4, y: 284, scale: 2, color: [255, 255, 255] }]);
 */
export function paint(width: number, height: number, background: Rgb, drawings: readonly Drawing[]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  const fill = (x0: number, y0: number, w: number, h: number, [r, g, b]: Rgb): void => {
    for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) {
        const o = (y * width + x) * 4;
        data[o] = r;
        data[o + 1] = g;
        data[o + 2] = b;
        data[o + 3] = 255;
      }
    }
  };
  fill(0, 0, width, height, background);
  for (const drawing of drawings) {
    if (drawing.kind === 'image') {
      const { image, x, y, scale } = drawing;
      for (let row = 0; row < image.height; row++) {
        for (let column = 0; column < image.width; column++) {
          const o = (row * image.width + column) * 4;
          fill(x + column * scale, y + row * scale, scale, scale, [
            image.data[o],
            image.data[o + 1],
            image.data[o + 2],
          ]);
        }
      }
    } else {
      const { text, x, y, scale, color } = drawing;
      for (const pixel of textPixels(text)) fill(x + pixel.x * scale, y + pixel.y * scale, scale, scale, color);
    }
  }
  return { width, height, data };
}

/**
 * The size of a line of text drawn at `scale`.
 *
 * @example
 * textBox('true 7', 2); // { width: …, height: 18 }
 */
export const textBox = (text: string, scale: number): { readonly width: number; readonly height: number } => ({
  width: textWidth(text) * scale,
  height: lineHeight * scale,
});
