import { attributionScale, heatMap, type GrayImage } from '@axon/explain';
import type { ArtStyle } from './terminal-art.js';

const reset = '\x1b[0m';

/** The nearest colour of the 256-colour palette's 6 × 6 × 6 cube (codes 16–231). */
const paletteColor = (r: number, g: number, b: number): number =>
  16 + 36 * Math.round((r / 255) * 5) + 6 * Math.round((g / 255) * 5) + Math.round((b / 255) * 5);

/** Two characters for a pixel without colour: the digit faintly where the attribution is weak, else its sign and strength. */
const plainCell = (ink: number, attribution: number, scale: number): string => {
  const strength = Math.min(1, Math.abs(attribution) / scale);
  if (!(strength >= 0.2)) return ink > 0.5 ? '..' : '  ';
  if (attribution > 0) return strength < 0.6 ? '++' : '##';
  return strength < 0.6 ? '--' : '==';
};

/**
 * An attribution drawn over its image in the terminal, one string per line: in colour,
 * the heat map of `heatMap` in half blocks (two pixel rows per line); without colour,
 * `++`/`##` where the pixel counts for the class (strongly: `##`), `--`/`==` where it
 * counts against, and the digit as `..` elsewhere.
 *
 * @example
 * attributionArt({ width: 28, height: 28, pixels }, attributions, 'color'); // 14 lines
 */
export function attributionArt(image: GrayImage, attributions: ArrayLike<number>, style: ArtStyle): string[] {
  const { width, height, pixels } = image;
  const lines: string[] = [];
  if (style === 'color') {
    const { data } = heatMap(image, attributions);
    const color = (x: number, y: number): number =>
      y < height
        ? paletteColor(data[(y * width + x) * 4], data[(y * width + x) * 4 + 1], data[(y * width + x) * 4 + 2])
        : 16;
    for (let y = 0; y < height; y += 2) {
      let line = '';
      for (let x = 0; x < width; x++) line += `\x1b[38;5;${color(x, y)};48;5;${color(x, y + 1)}m▀`;
      lines.push(line + reset);
    }
    return lines;
  }
  const scale = attributionScale(attributions);
  for (let y = 0; y < height; y++) {
    let line = '';
    for (let x = 0; x < width; x++) line += plainCell(pixels[y * width + x], attributions[y * width + x], scale);
    lines.push(line);
  }
  return lines;
}
