// The main entry must bundle for browsers: no Node.js built-ins anywhere in its import
// graph (fp-ts, io-ts and @axon/tensor included). esbuild, bundling for the browser
// platform, fails on any such import.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = (path: string): string => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

describe('@axon/io in a browser', () => {
  it('bundles the main entry for the browser without Node.js built-ins', async () => {
    const result = await build({
      entryPoints: [entry('index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      conditions: ['@axon/source'],
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.endsWith('layers-model/decode.ts'))).toBe(true);
    expect(inputs.filter((input) => input.startsWith('node:') || input.endsWith('/src/edge/index.ts'))).toEqual([]);
  });

  it('refuses to bundle the Node entry, which is what the check above would catch', async () => {
    await expect(
      build({
        entryPoints: [entry('edge/index.ts')],
        bundle: true,
        platform: 'browser',
        write: false,
        logLevel: 'silent',
        conditions: ['@axon/source'],
      }),
    ).rejects.toThrow(/node:/);
  });
});
