import { createRequire } from 'node:module';

/** One character of a pixel font: rows of 0/1 pixels, drawn `offset` rows below the line's top. */
interface Glyph {
  readonly offset: number;
  readonly pixels: readonly (readonly number[])[];
}

/** The parts of js-pixel-fonts' font files this module reads. */
interface PixelFont {
  readonly glyphs: Readonly<Record<string, Glyph>>;
}

// "Seven plus" from js-pixel-fonts (MIT): 7-pixel capitals and digits, lower case with
// descenders, every printable ASCII character. Only its data is used; the package's
// renderer would bring an old PNG library along.
const sevenPlus = createRequire(import.meta.url)('js-pixel-fonts/data/seven-plus.json') as PixelFont;

/** The height of a line of text in font pixels: 7 above the baseline, 2 for descenders. */
export const lineHeight = 9;

/** The glyph of a character; characters the font lacks are drawn as `?`. */
const glyphOf = (character: string): Glyph => sevenPlus.glyphs[character] ?? sevenPlus.glyphs['?'];

/**
 * The font pixels that are set when `text` is written from (0, 0): one column between
 * characters, ASCII only (others show as `?`).
 *
 * @example
 * textPixels('7').length; // the number of set pixels of a seven
 */
export function textPixels(text: string): { readonly x: number; readonly y: number }[] {
  const set: { x: number; y: number }[] = [];
  let left = 0;
  for (const character of text) {
    const glyph = glyphOf(character);
    glyph.pixels.forEach((row, r) =>
      row.forEach((on, c) => (on === 1 ? set.push({ x: left + c, y: glyph.offset + r }) : undefined)),
    );
    left += (glyph.pixels[0]?.length ?? 0) + 1;
  }
  return set;
}

/**
 * The width of `text` in font pixels, as {@link textPixels} lays it out.
 *
 * @example
 * textWidth('ab'); // width of a + 1 + width of b + 1
 */
export const textWidth = (text: string): number =>
  [...text].reduce((width, character) => width + (glyphOf(character).pixels[0]?.length ?? 0) + 1, 0);
