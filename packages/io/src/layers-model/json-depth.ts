/** How deeply `model.json` may nest objects and arrays; real files stay far below it. */
export const maxJsonDepth = 64;

/**
 * Where JSON text first nests deeper than `limit` objects and arrays, as a character
 * offset, or `undefined` when it stays within. One pass, no recursion, so a hostile
 * file nested 200,000 levels deep is refused before a parser or a validator recurses
 * through it. Brackets inside strings do not count.
 *
 * @example
 * tooDeepAt('[[1]]', 1); // 1
 * tooDeepAt('["[[["]', 1); // undefined
 */
export function tooDeepAt(text: string, limit: number = maxJsonDepth): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > limit) return i;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return undefined;
}
