import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSplits } from './load-data.js';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'axon-cli-load-data-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

/** Nothing in $AXON_DATA_DIR or the cache, and no way to reach the network. */
const offline = () => ({
  environment: { axonDataDir: join(home, 'data'), xdgCacheHome: join(home, 'cache'), homeDir: home },
  fetch: () => Promise.reject(new Error('no network in this test')),
});

describe('loadSplits', () => {
  it('trains MNIST from the bundled copy when nothing else is there, without the network', async () => {
    const splits = await loadSplits('mnist', null, () => undefined, offline())();
    expect(E.isRight(splits) && [splits.right.train.labels.length, splits.right.test.labels.length]).toEqual([
      60000, 10000,
    ]);
  });

  it("says, when a download fails, where it looked, the mirror's last error, and to use --data-dir or AXON_DATA_DIR", async () => {
    const server = createServer((_, response) => response.writeHead(503).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fashion/`;
    try {
      const splits = await loadSplits('fashion-mnist', null, () => undefined, {
        ...offline(),
        fetch,
        baseUrl: mirror,
        retries: 1,
        retryDelayMs: 1,
      })();
      if (E.isRight(splits)) throw new Error('loaded Fashion-MNIST from nowhere');
      expect(splits.left.split('\n')).toEqual([
        `fashion-mnist: train-images not found; looked in ${join(home, 'data', 'fashion-mnist')} (AXON_DATA_DIR), ${join(home, 'cache', 'axon', 'fashion-mnist')} (cache); downloading it failed:`,
        `  ${mirror}train-images-idx3-ubyte.gz: HTTP 503 (2 attempts)`,
        expect.stringMatching(
          /^To use a copy you have, pass a directory .*--data-dir.* or set AXON_DATA_DIR to a folder holding fashion-mnist\/\.$/,
        ),
      ]);
    } finally {
      server.close();
    }
  });
});
