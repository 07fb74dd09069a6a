import { defineConfig } from 'vitest/config';

/**
 * The vitest settings every project shares. Workspace packages resolve to their
 * TypeScript sources through the `@axon/source` export condition, so tests never
 * wait for a build.
 */
export const sharedVitestConfig = defineConfig({
  resolve: { conditions: ['@axon/source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@axon/source', 'module', 'node', 'import', 'default'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
