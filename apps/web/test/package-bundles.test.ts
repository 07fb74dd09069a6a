// Each package's main entry bundles for a browser with no Node.js built-in anywhere in
// its import graph; the Node entries are what such a check would catch.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserEntries, bundleForBrowser } from '../scripts/package-bundles.js';
import { playgroundSiteDir } from '../src/serve/index.js';

// A package's Node entry is its src/edge/index.ts (`@axon/data/node`); the browser's edges sit beside it.
const nodeOnly = (input: string): boolean => input.startsWith('node:') || input.endsWith('/src/edge/index.ts');

describe('browser bundles of the packages', () => {
  for (const [name, entry] of Object.entries(browserEntries)) {
    it(`${name} bundles for the browser without Node.js built-ins`, async () => {
      const bundle = await bundleForBrowser(name, entry);
      expect(bundle.errors).toEqual([]);
      expect(bundle.inputs.filter(nodeOnly)).toEqual([]);
      expect(bundle.bytes).toBeGreaterThan(0);
    });
  }

  it("picks gpu.js's browser build, which leaves headless-gl out", async () => {
    const bundle = await bundleForBrowser('@axon/backend-gpu', browserEntries['@axon/backend-gpu']);
    expect(bundle.inputs.some((input) => input.endsWith('gpu.js/dist/gpu-browser.js'))).toBe(true);
    expect(bundle.inputs.filter((input) => /node_modules\/gl\//.test(input))).toEqual([]);
  });

  it("resolves @axon/backend-wasm to its browser entry under a bundler's browser conditions", async () => {
    const bundle = await bundleForBrowser('an app', 'apps/web/src/training/open-backend.ts');
    expect(bundle.errors).toEqual([]);
    expect(bundle.inputs).toContain('packages/backend-wasm/src/edge/browser-host.ts');
    expect(bundle.inputs.filter(nodeOnly)).toEqual([]);
  });

  for (const [name, entry] of [
    ['@axon/data/node', 'packages/data/src/edge/index.ts'],
    ['@axon/backend-gpu/node', 'packages/backend-gpu/src/edge/index.ts'],
    ['@axon/backend-wasm/node', 'packages/backend-wasm/src/edge/index.ts'],
  ]) {
    it(`refuses ${name}, which is what the check above would catch`, async () => {
      const bundle = await bundleForBrowser(name, entry);
      expect(bundle.errors.join('\n')).toMatch(/node:/);
    });
  }

  it("leaves no Node.js built-in in the built site (Vite's stand-ins for them included), and ships the wasm kernels and their worker", () => {
    const assets = join(playgroundSiteDir, 'assets');
    const files = readdirSync(assets);
    const scripts = files.filter((file) => file.endsWith('.js'));
    for (const file of scripts) {
      const code = readFileSync(join(assets, file), 'utf8');
      expect(code, file).not.toMatch(/__vite-browser-external|["'`]node:[a-z_/]+["'`]/);
    }
    expect(files.filter((file) => /^kernels(-fma)?-[\w-]+\.wasm$/.test(file))).toHaveLength(2);
    // The compute worker is the one script that enters the kernels' worker loop.
    expect(scripts.filter((file) => /\.workerLoop\(/.test(readFileSync(join(assets, file), 'utf8')))).toHaveLength(1);
  });
});
