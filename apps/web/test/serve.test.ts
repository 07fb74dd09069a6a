import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePlayground, type RunningPlayground } from '../src/serve/index.js';

let root: string;
let site: string;
let model: string;
let playground: RunningPlayground;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'axon-web-serve-'));
  site = join(root, 'site');
  model = join(root, 'my-model');
  await mkdir(join(site, 'model'), { recursive: true });
  await mkdir(join(site, 'mnist'), { recursive: true });
  await mkdir(model, { recursive: true });
  await writeFile(join(site, 'index.html'), '<!doctype html><title>page</title>');
  await writeFile(join(site, 'model', 'model.json'), '{"default":true}');
  await writeFile(join(site, 'mnist', 't10k-labels-idx1-ubyte.gz'), Uint8Array.of(0x1f, 0x8b, 8));
  await writeFile(join(model, 'model.json'), '{"mine":true}');
  await writeFile(join(root, 'secret.txt'), 'not for the web');
  playground = await servePlayground({ siteDir: site, modelDir: model });
});

afterAll(async () => {
  await playground.close();
  await rm(root, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => fetch(new URL(path, playground.url), init);

describe('servePlayground', () => {
  it('listens on 127.0.0.1 and a free port unless told otherwise', () => {
    expect(playground.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the page with the headers that make it cross-origin isolated', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await response.text()).toContain('<title>page</title>');
  });

  it("serves /model/ from the model directory given, not the site's own", async () => {
    expect(await (await get('/model/model.json')).json()).toEqual({ mine: true });
  });

  it('serves gzip files as files, for the page to decompress and verify', async () => {
    const response = await get('/mnist/t10k-labels-idx1-ubyte.gz');
    expect(response.headers.get('content-type')).toBe('application/gzip');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(Uint8Array.of(0x1f, 0x8b, 8));
  });

  it('answers HEAD without a body, and refuses other methods', async () => {
    const head = await get('/index.html', { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '34', '']);
    const post = await get('/', { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('never serves a file outside the site or the model directory, whatever the path', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/model/..%2f..%2fsecret.txt',
      '/model/%2e%2e/%2e%2e/secret.txt',
      '/nothing-here',
    ]) {
      const response = await fetch(`${playground.url.slice(0, -1)}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('not for the web');
    }
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('..', '%2e%2e', '%2f', 'model', 'secret.txt', '.', '%00', '\\'), { maxLength: 6 }),
        async (parts) => {
          const response = await fetch(`${playground.url}${parts.join('/')}`);
          expect(await response.text()).not.toContain('not for the web');
        },
      ),
      { numRuns: 60 },
    );
  });
});
