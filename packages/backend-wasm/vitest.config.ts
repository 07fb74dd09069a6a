import { mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.js';

export default mergeConfig(sharedVitestConfig, {
  // Tests load the compiled kernels module and worker script, so build them first.
  test: { globalSetup: ['./test/build-wasm.ts'] },
});
