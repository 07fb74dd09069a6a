import type { GrayImage, RgbaImage } from '@axon/explain';

/**
 * A grey image as opaque RGBA.
 *
 * @example
 * grayToRgba({ width: 2, height: 1, pixels: [0, 1] }).data; // [0, 0, 0, 255, 255, 255, 255, 255]
 */
export function grayToRgba(image: GrayImage): RgbaImage {
  const data = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0; i < image.width * image.height; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, image.pixels[i])));
    data.set([v, v, v, 255], i * 4);
  }
  return { width: image.width, height: image.height, data };
}
