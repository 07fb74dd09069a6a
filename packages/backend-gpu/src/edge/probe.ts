// The device edge: probing a mode reads the environment (DISPLAY) and opens GL contexts.
import { headlessGlLoadError, isModeSupported, probeContext, type GpuJsMode } from '../gpujs/gpujs.js';
import { isSoftwareRenderer, rendererOf } from '../gpujs/renderer.js';

/** What this machine offers for one gpu.js mode. */
export type ModeProbe =
  | {
      readonly mode: GpuJsMode;
      readonly kind: 'unavailable';
      readonly why: string;
      /** True when this kind of environment never has the mode (WebGL outside a browser). */
      readonly expected: boolean;
    }
  /** A GL mode rendering on a GPU. */
  | { readonly mode: GpuJsMode; readonly kind: 'hardware'; readonly renderer: string }
  /** A GL mode rendering with a software rasterizer such as Mesa's llvmpipe. */
  | { readonly mode: GpuJsMode; readonly kind: 'software'; readonly renderer: string }
  /** gpu.js's WebAssembly or JavaScript mode: always the CPU. */
  | { readonly mode: GpuJsMode; readonly kind: 'cpu' };

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

const whyUnavailable = (mode: GpuJsMode): string => {
  switch (mode) {
    case 'headlessgl': return whyHeadlessGlUnavailable();
    case 'webgl2':
    case 'webgl': return `${mode} needs a browser's WebGL; in Node use headlessgl`;
    default: return `this JavaScript engine has no WebAssembly`;
  }
};

/**
 * Asks gpu.js whether `mode` works here and, for GL modes, which renderer is behind
 * it. gpu.js's own answer (`GPU.isGPUSupported`) counts its WebAssembly mode and
 * software rasterizers as GPUs, so the renderer string decides instead.
 *
 * @example
 * ```ts
 * probeMode('headlessgl');
 * // under xvfb-run: { mode: 'headlessgl', kind: 'software', renderer: 'ANGLE (Mesa/X.org llvmpipe ...)' }
 * // without X:      { mode: 'headlessgl', kind: 'unavailable', why: 'headless-gl needs an X display ...', expected: false }
 * ```
 */
export const probeMode = (mode: GpuJsMode): ModeProbe => {
  if (!isModeSupported(mode)) {
    return { mode, kind: 'unavailable', why: whyUnavailable(mode), expected: mode === 'webgl' || mode === 'webgl2' };
  }
  if (mode === 'webasm' || mode === 'cpu') return { mode, kind: 'cpu' };
  const context = probeContext(mode);
  // A renderer that cannot be named cannot be claimed to be a GPU.
  if (context === undefined) return { mode, kind: 'software', renderer: 'an unidentified renderer' };
  const renderer = rendererOf(context);
  return { mode, kind: isSoftwareRenderer(renderer) ? 'software' : 'hardware', renderer };
};
