// The Node.js edge: why headless-gl does not run here, from the file system and DISPLAY.
import { createRequire } from 'node:module';
import { explainUnavailable, type ExplainUnavailable } from './probe.js';

/**
 * Why headless-gl (`gl`, gpu.js's optional native dependency) cannot be loaded, or
 * `undefined` when it loads. It is resolved from gpu.js's own location, as gpu.js does.
 */
export const headlessGlLoadError = (): string | undefined => {
  try {
    createRequire(createRequire(import.meta.url).resolve('gpu.js'))('gl');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

const whyHeadlessGlUnavailable = (): string => {
  const loadError = headlessGlLoadError();
  if (loadError !== undefined) {
    return `headless-gl (the optional native package 'gl') does not load: ${loadError.split('\n')[0]}`;
  }
  const display = process.env['DISPLAY'];
  return display === undefined || display === ''
    ? 'headless-gl needs an X display and DISPLAY is unset (run under `xvfb-run -a` for software rendering)'
    : `headless-gl could not create a WebGL context on display ${display}`;
};

/** Node.js's explanations: the main entry's, with the real reason headless-gl is missing. */
export const explainUnavailableInNode: ExplainUnavailable = (mode) =>
  mode === 'headlessgl' ? { why: whyHeadlessGlUnavailable(), expected: false } : explainUnavailable(mode);
