import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.js';

// The browser tests start Chromium and train in it; they need more time than unit tests.
export default mergeConfig(
  sharedVitestConfig,
  defineConfig({ test: { testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false } }),
);
