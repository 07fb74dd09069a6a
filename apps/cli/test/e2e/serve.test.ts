// `axon serve` through the built CLI: it prints where the playground is, serves the page
// with the cross-origin isolation headers, serves --model DIR as the page's model, and
// exits 0 when stopped.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, finished, outcome, runAxon, spawnAxon, type Sandbox } from '../support/run-axon.js';

/** The playground's committed default model: a model directory as `axon train --out` writes one. */
const modelDir = fileURLToPath(new URL('../../../web/public/model', import.meta.url));

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox('serve');
});
afterAll(() => sandbox.remove());

/** The first line of stdout, once it has arrived. */
const firstLine = (child: ReturnType<typeof spawnAxon>): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) resolve(text.split('\n')[0]);
    });
    child.on('close', () => reject(new Error(`axon serve exited before printing its address: ${text}`)));
  });

describe('axon serve', () => {
  it('serves the playground on 127.0.0.1 with --model DIR as its model, and stops on SIGTERM with status 0', async () => {
    const child = spawnAxon(['serve', '--port', '0', '--model', modelDir], { sandbox });
    const done = finished(child, ['serve']);
    const line = await firstLine(child);
    expect(line).toMatch(
      new RegExp(
        `^axon playground at http://127\\.0\\.0\\.1:\\d+/ \\(model: ${modelDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; Ctrl-C stops it\\)$`,
      ),
    );
    const url = /http:\S+\//.exec(line)?.[0] ?? '';
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await page.text()).toContain('data-testid="digit-pad"');
    const served = new Uint8Array(await (await fetch(new URL('model/weights.bin', url))).arrayBuffer());
    expect(served).toEqual(new Uint8Array(await readFile(`${modelDir}/weights.bin`)));
    const mnist = await fetch(new URL('mnist/t10k-labels-idx1-ubyte.gz', url));
    expect([mnist.status, mnist.headers.get('content-type')]).toEqual([200, 'application/gzip']);
    child.kill('SIGTERM');
    const result = await done;
    expect(result.status, outcome(result)).toBe(0);
  });

  it('refuses a model directory without model.json, and a port TCP does not have, in one line', async () => {
    const missing = await runAxon(['serve', '--port', '0', '--model', sandbox.path('nowhere')], { sandbox });
    expect(missing.status, outcome(missing)).toBe(1);
    expect(missing.stderr).toBe(
      `axon serve: ${sandbox.path('nowhere')}: no model.json there (give the directory \`axon train --out\` wrote)\n`,
    );
    const port = await runAxon(['serve', '--port', '70000'], { sandbox });
    expect(port.status, outcome(port)).toBe(2);
    expect(port.stderr).toBe('axon serve: --port must be at most 65535, got 70000\n');
  });
});
