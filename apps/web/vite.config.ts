import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { mnistDataDir } from '@axon/mnist-data';
import { isolationHeaders } from './src/serve/serve-playground.js';

/** The four MNIST files of `@axon/mnist-data`, served with the site under `mnist/` for training in the page. */
const bundledMnist = (): Plugin => ({
  name: 'axon-bundled-mnist',
  async generateBundle() {
    for (const name of await readdir(mnistDataDir)) {
      this.emitFile({ type: 'asset', fileName: `mnist/${name}`, source: await readFile(join(mnistDataDir, name)) });
    }
  },
  configureServer(server) {
    server.middlewares.use('/mnist', (request, response, next) => {
      const name = (request.url ?? '').replace(/^\//, '');
      if (!/^[\w.-]+\.gz$/.test(name)) return next();
      readFile(join(mnistDataDir, name)).then(
        (bytes) => {
          response.setHeader('Content-Type', 'application/gzip');
          response.end(bytes);
        },
        () => next(),
      );
    });
  },
});

// Workspace packages are bundled from their TypeScript sources (the `@axon/source`
// condition), so the site never waits for the packages' own builds.
export default defineConfig({
  base: './',
  resolve: { conditions: ['@axon/source', 'module', 'browser', 'development|production'] },
  worker: { format: 'es' },
  build: { outDir: 'dist/site', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { headers: { ...isolationHeaders } },
  preview: { headers: { ...isolationHeaders } },
  plugins: [bundledMnist()],
});
