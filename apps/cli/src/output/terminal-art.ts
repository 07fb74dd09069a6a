import type { GrayImage } from '@axon/digit-image';

/**
 * How an image is drawn in text:
 * - `color`: Unicode upper half blocks with 256-colour grey foreground and background,
 *   two pixel rows per line (28×28 becomes 28 columns × 14 lines);
 * - `shades`: two characters of ` ░▒▓█` per pixel, no escape codes (terminals without colour);
 * - `ascii`: two characters of ` .:-=+*#%@` per pixel, plain ASCII (pipes, logs).
 */
export type ArtStyle = 'color' | 'shades' | 'ascii';

const shades = [' ', '░', '▒', '▓', '█'] as const;
const asciiRamp = [' ', '.', ':', '-', '=', '+', '*', '#', '%', '@'] as const;
const reset = '\x1b[0m';

const clamp01 = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);
const level = (v: number, levels: number): number => Math.min(levels - 1, Math.floor(clamp01(v) * levels));
// The 24 greys of the 256-colour palette run from 232 (near black) to 255 (near white).
const grey = (v: number): number => 232 + Math.round(clamp01(v) * 23);

/**
 * Draws an image as lines of text, one string per line, without line breaks.
 *
 * @example
 * imageArt({ width: 2, height: 1, pixels: [0, 1] }, 'ascii'); // ['  @@']
 */
export function imageArt(image: GrayImage, style: ArtStyle): string[] {
  const { width, height, pixels } = image;
  const at = (x: number, y: number): number => (y < height ? pixels[y * width + x] : 0);
  const lines: string[] = [];
  if (style === 'color') {
    for (let y = 0; y < height; y += 2) {
      let line = '';
      for (let x = 0; x < width; x++) line += `\x1b[38;5;${grey(at(x, y))};48;5;${grey(at(x, y + 1))}m▀`;
      lines.push(line + reset);
    }
    return lines;
  }
  const ramp = style === 'shades' ? shades : asciiRamp;
  for (let y = 0; y < height; y++) {
    let line = '';
    for (let x = 0; x < width; x++) line += ramp[level(at(x, y), ramp.length)].repeat(2);
    lines.push(line);
  }
  return lines;
}

/**
 * The art style for an output: colour on a terminal unless `NO_COLOR` is set (the
 * no-color.org convention) or the terminal is `dumb`; shades on a terminal without
 * colour; ASCII when not a terminal.
 *
 * @example
 * artStyleFor(process.stdout.isTTY === true, process.env); // 'color' in most terminals
 */
export function artStyleFor(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): ArtStyle {
  if (!isTTY) return 'ascii';
  const noColor = (env.NO_COLOR ?? '') !== '' || env.TERM === 'dumb';
  return noColor ? 'shades' : 'color';
}

const escapeSequence = /\x1b\[[0-9;]*m/g;

/**
 * The number of terminal columns a line takes: its characters less colour escape codes.
 *
 * @example
 * visibleWidth('\x1b[38;5;255m▀\x1b[0m'); // 1
 */
export function visibleWidth(line: string): number {
  return [...line.replace(escapeSequence, '')].length;
}

/**
 * Puts two blocks of lines side by side, padding the left block to one width.
 *
 * @example
 * sideBySide(['ab', 'c'], ['1', '2', '3'], 1); // ['ab 1', 'c  2', '   3']
 */
export function sideBySide(left: readonly string[], right: readonly string[], gap = 2): string[] {
  const width = Math.max(0, ...left.map(visibleWidth));
  return Array.from({ length: Math.max(left.length, right.length) }, (_, i) => {
    const l = left[i] ?? '';
    const r = right[i] ?? '';
    return r === '' ? l : l + ' '.repeat(width - visibleWidth(l) + gap) + r;
  });
}
