import { Writable } from 'node:stream';
import type { TerminalStream } from '../../src/output/progress-bar.js';

/** A stream that records what is written to it, posing as a terminal or not. */
export function recorder(isTTY: boolean): { stream: TerminalStream; text: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    { isTTY, columns: 200 },
  );
  return { stream, text: () => chunks.join('') };
}
