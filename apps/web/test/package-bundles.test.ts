// Each package's main entry bundles for a browser with no Node.js built-in anywhere in
// its import graph; the Node entries are what such a check would catch.
import { describe, expect, it } from 'vitest';
import { browserEntries, bundleForBrowser } from '../scripts/package-bundles.js';

// A package's Node entry is its src/edge/index.ts (`@axon/data/node`); the browser edges beside it are fine.
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

  for (const [name, entry] of [['@axon/data/node', 'packages/data/src/edge/index.ts'], ['@axon/backend-gpu/node', 'packages/backend-gpu/src/edge/index.ts']]) {
    it(`refuses ${name}, which is what the check above would catch`, async () => {
      const bundle = await bundleForBrowser(name, entry);
      expect(bundle.errors.join('\n')).toMatch(/node:/);
    });
  }
});
