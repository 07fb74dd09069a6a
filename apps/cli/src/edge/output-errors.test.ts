import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outputOutcome, watchOutput } from './output-errors.js';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`write ${code}`), { code });

/** A stream whose writes fail with `code` from the `failAt`-th on. */
function failingStream(code: string, failAt: number): Writable {
  let writes = 0;
  return new Writable({
    write(_chunk, _encoding, done) {
      done(++writes >= failAt ? errno(code) : null);
    },
  });
}

describe('outputOutcome', () => {
  it('keeps the status and says nothing when stdout was fine or its reader left (EPIPE)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.constantFrom(undefined, errno('EPIPE')), (status, failure) => {
        expect(outputOutcome(status, 'standard output', failure)).toEqual({ status });
      }),
    );
  });

  it('turns any other write error into one line and status 1, keeping a failure status', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.constantFrom('ENOSPC', 'EIO', 'EBADF'), (status, code) => {
        const outcome = outputOutcome(status, 'standard output', errno(code));
        expect(outcome.status).toBe(status === 0 ? 1 : status);
        expect(outcome.message).toMatch(/^axon: cannot write to standard output: [^\n]+$/);
      }),
    );
    expect(outputOutcome(0, 'standard output', errno('ENOSPC')).message).toBe(
      'axon: cannot write to standard output: no space left on device',
    );
  });
});

describe('watchOutput', () => {
  it('reports the first write error once the writes have settled, and lets later writes pass quietly', async () => {
    for (const failAt of [1, 2, 5]) {
      const stream = failingStream('ENOSPC', failAt);
      const watched = watchOutput(stream);
      for (let i = 0; i < 6; i++) stream.write(`line ${i}\n`);
      expect(await watched.settled()).toMatchObject({ code: 'ENOSPC' });
    }
  });

  it('reports nothing when every write succeeds', async () => {
    const stream = new Writable({ write: (_chunk, _encoding, done) => done() });
    const watched = watchOutput(stream);
    stream.write('fine\n');
    expect(await watched.settled()).toBeUndefined();
  });
});
