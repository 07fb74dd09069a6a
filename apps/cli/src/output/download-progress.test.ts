import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downloadProgress } from './download-progress.js';
import { recorder } from '../../test/support/recorder.js';

describe('downloadProgress', () => {
  it('off a terminal, writes a line at the start and one at the end, and nothing in between', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1_000_000), { minLength: 1, maxLength: 20 }), fc.boolean(), (steps, sized) => {
        const { stream, text } = recorder(false);
        let now = 0;
        const progress = downloadProgress('t10k-labels-idx1-ubyte.gz', stream, () => (now += 250));
        const total = steps.reduce((a, b) => a + b, 0);
        let received = 0;
        for (const step of steps) progress.onProgress((received += step), sized ? total : undefined);
        progress.finish();
        const lines = text().split('\n');
        expect(lines).toHaveLength(3);
        expect(lines[0]).toMatch(
          sized ? /^downloading t10k-labels-idx1-ubyte\.gz \(.+\)$/ : /^downloading t10k-labels-idx1-ubyte\.gz$/,
        );
        expect(lines[1]).toMatch(/^downloaded t10k-labels-idx1-ubyte\.gz: .+ in .+s$/);
        expect(text()).not.toMatch(/\x1b/);
      }),
      { numRuns: 30 },
    );
  });

  it('on a terminal, shows the bytes, the speed and the time left', () => {
    const { stream, text } = recorder(true);
    let now = 0;
    const progress = downloadProgress('train-images-idx3-ubyte.gz', stream, () => now);
    progress.onProgress(0, 10_000_000);
    now = 2000;
    progress.onProgress(4_000_000, 10_000_000);
    progress.finish();
    expect(text()).toContain('train-images-idx3-ubyte.gz [');
    expect(text()).toContain('] 40% | 4.0 MB of 10.0 MB | 2.0 MB/s | ETA 3.0s');
    expect(text().endsWith('downloaded train-images-idx3-ubyte.gz: 4.0 MB in 2.0s\n')).toBe(true);
  });

  it('on a terminal, shows the bytes and the speed when the size is unknown', () => {
    const { stream, text } = recorder(true);
    let now = 0;
    const progress = downloadProgress('data.gz', stream, () => now);
    progress.onProgress(1000, undefined);
    now = 1000;
    progress.onProgress(501_000, undefined);
    progress.finish();
    expect(text()).toContain('data.gz 501.0 kB | 500.0 kB/s');
  });

  it('writes nothing when nothing was downloaded', () => {
    const { stream, text } = recorder(true);
    downloadProgress('cached.gz', stream, () => 0).finish();
    expect(text()).toBe('');
  });
});
