import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The browser entries of axon's packages: each must bundle with no Node.js built-in. */
export const browserEntries: Readonly<Record<string, string>> = {
  '@axon/tensor': 'packages/tensor/src/index.ts',
  '@axon/nn': 'packages/nn/src/index.ts',
  '@axon/data': 'packages/data/src/index.ts',
  '@axon/digit-image': 'packages/digit-image/src/index.ts',
  '@axon/io': 'packages/io/src/index.ts',
  '@axon/backend-gpu': 'packages/backend-gpu/src/index.ts',
  '@axon/backend-wasm': 'packages/backend-wasm/src/index.ts',
  // Bundlers build the compute worker on its own, from the URL the entry names.
  '@axon/backend-wasm worker': 'packages/backend-wasm/src/edge/worker.ts',
};

/** What bundling one entry for the browser gave. */
export interface BrowserBundle {
  readonly name: string;
  readonly errors: readonly string[];
  /** The modules it pulled in, as esbuild names them (`node:fs`, `packages/data/src/edge/...`). */
  readonly inputs: readonly string[];
  /** Minified bytes, and gzipped: what a page downloads. */
  readonly bytes: number;
  readonly gzipBytes: number;
}

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Bundles an entry as a browser app would (esbuild, `--platform=browser`, ESM, minified,
 * workspace packages from their sources); a Node.js built-in anywhere in its graph is an
 * error.
 */
export const bundleForBrowser = async (name: string, entry: string): Promise<BrowserBundle> => {
  try {
    const result = await build({
      entryPoints: [`${repositoryRoot}${entry}`],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      minify: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
      conditions: ['@axon/source'],
      absWorkingDir: repositoryRoot,
    });
    const output = result.outputFiles[0].contents;
    return {
      name,
      errors: [],
      inputs: Object.keys(result.metafile.inputs),
      bytes: output.length,
      gzipBytes: gzipSync(output).length,
    };
  } catch (error) {
    const errors = (error as { errors?: { text: string }[] }).errors?.map((e) => e.text) ?? [String(error)];
    return { name, errors, inputs: [], bytes: 0, gzipBytes: 0 };
  }
};
