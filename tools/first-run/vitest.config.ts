import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.js';

// Installing a fresh clone builds the whole workspace (and headless-gl from source): minutes.
export default mergeConfig(
  sharedVitestConfig,
  defineConfig({ test: { hookTimeout: 20 * 60_000, testTimeout: 5 * 60_000 } }),
);
