// The wasm backend as another bundler ships it (esbuild here; the playground is Vite's),
// in a cross-origin isolated page: on the page's main thread, which may not block in
// Atomics.wait, it runs one thread and says why; in a Web Worker it runs the 2 asked for.
// Either way it computes what Node.js computes.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createWasmBackend } from '@axon/backend-wasm';
import { servePlayground, type RunningPlayground } from '../../src/serve/index.js';
import { chromiumSkipNote, hasChromium, launchChromium, watchConsole } from '../support/chromium.js';
import { matmulProbe, type WasmProbe } from '../support/wasm-probe.js';

const repository = fileURLToPath(new URL('../../../../', import.meta.url));

let site: string;
let server: RunningPlayground;
let chromium: Browser;

/**
 * Lays the page out as the package's URLs expect: the bundle and its worker side by side
 * two folders down, the compiled kernels in `dist/wasm/` at the top.
 */
const buildSite = async (): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), 'axon-wasm-page-'));
  await build({
    entryPoints: {
      'app/js/page': join(repository, 'apps/web/test/support/wasm-probe-page.ts'),
      'app/js/wasm-probe-worker': join(repository, 'apps/web/test/support/wasm-probe-worker.ts'),
      // The compute worker, which the package names as './worker.js' beside itself.
      'app/js/worker': join(repository, 'packages/backend-wasm/src/edge/worker.ts'),
    },
    outdir: dir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    conditions: ['@axon/source'],
    logLevel: 'silent',
  });
  const kernels = join(repository, 'packages/backend-wasm/dist/wasm');
  mkdirSync(join(dir, 'dist/wasm'), { recursive: true });
  for (const file of readdirSync(kernels)) copyFileSync(join(kernels, file), join(dir, 'dist/wasm', file));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>wasm on the main thread</title><link rel="icon" href="data:,"><script type="module" src="app/js/page.js"></script>\n',
  );
  return dir;
};

/** Opens the probe page (`?in=worker` for a Web Worker) and reads what it published. */
const probeInPage = async (
  search: string,
): Promise<{ readonly probe: WasmProbe; readonly problems: readonly string[] }> => {
  const page = await chromium.newPage();
  const problems = watchConsole(page);
  try {
    await page.goto(`${server.url}${search}`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.waitForFunction(() => 'wasmProbe' in globalThis, undefined, { timeout: 60_000 });
    const probe = (await page.evaluate(() => (globalThis as unknown as { wasmProbe: unknown }).wasmProbe)) as
      WasmProbe | { error: string };
    if ('error' in probe) throw new Error(`the page could not run the wasm backend: ${probe.error}`);
    return { probe, problems };
  } finally {
    await page.close();
  }
};

/** The probe product in Node.js, with the same choice of fused multiply-adds. */
const nodeValues = async (fma: boolean): Promise<number[]> => {
  const node = await createWasmBackend({ threads: 2, fma });
  try {
    expect(node.fma).toBe(fma);
    return matmulProbe(node);
  } finally {
    await node.dispose();
  }
};

describe.skipIf(!hasChromium)(
  `the wasm backend bundled by esbuild, in a page and in a worker${chromiumSkipNote}`,
  () => {
    beforeAll(async () => {
      site = await buildSite();
      server = await servePlayground({ siteDir: site });
      chromium = await launchChromium();
    });

    afterAll(async () => {
      await chromium?.close();
      await server?.close();
      if (site !== undefined) rmSync(site, { recursive: true, force: true });
    });

    it("runs one thread on the page's main thread though 2 were asked for, says why, and computes what Node.js computes", async () => {
      const { probe, problems } = await probeInPage('');
      expect(probe.threads).toBe(1);
      expect(probe.threadLimit).toMatch(
        /^1 of the 2 threads asked for: a page's main thread cannot wait for worker threads \(Atomics\.wait\)/,
      );
      // The same kernels on the same CPU: identical for any thread count.
      expect(probe.values).toEqual(await nodeValues(probe.fma));
      expect(problems).toEqual([]);
    });

    it('runs the 2 threads asked for in a Web Worker, and computes what Node.js computes', async () => {
      const { probe, problems } = await probeInPage('?in=worker');
      expect(probe.threads).toBe(2);
      expect(probe.threadLimit).toBe('');
      expect(probe.workerSeconds).toBeGreaterThan(0);
      expect(probe.values).toEqual(await nodeValues(probe.fma));
      expect(problems).toEqual([]);
    });
  },
);
