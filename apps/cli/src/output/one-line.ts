/** Runs of non-space characters longer than this are shortened in messages. */
const longestWord = 120;
/** What a shortened run keeps: its start, and its end (for a path, the file name). */
const keptHead = 40;
const keptTail = 60;

/**
 * A message as one short line for stderr: line breaks become spaces, and any run of
 * non-space characters longer than 120 (a 10 KB path, an option value pasted by
 * mistake) keeps its first 40 and last 60 characters around an ellipsis. Every
 * message `axon` prints on failure goes through here, whichever module wrote it.
 *
 * @example
 * oneLine(`/tmp/${'a'.repeat(10000)}/model: cannot write: name too long`);
 * // '/tmp/aaaa…aaaa/model: cannot write: name too long' (about 100 characters before the colon)
 */
export function oneLine(message: string): string {
  return message.replace(/[\r\n]+/g, ' ').replace(new RegExp(`\\S{${longestWord + 1},}`, 'gu'), (word) => {
    // By code points, so a character outside the BMP is never cut in half.
    const characters = Array.from(word);
    return characters.length <= longestWord
      ? word
      : `${characters.slice(0, keptHead).join('')}…${characters.slice(-keptTail).join('')}`;
  });
}
