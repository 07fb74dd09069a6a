// The device edge: probing a mode opens GL contexts (and, in Node.js, reads DISPLAY).
import { isModeSupported, probeContext, type GpuJsMode } from '../gpujs/gpujs.js';
import { isSoftwareRenderer, rendererOf } from '../gpujs/renderer.js';

/** What this machine offers for one gpu.js mode. */
export type ModeProbe =
  | {
      readonly mode: GpuJsMode;
      readonly kind: 'unavailable';
      readonly why: string;
      /** True when this kind of environment never has the mode (WebGL outside a browser, headless-gl inside one). */
      readonly expected: boolean;
    }
  /** A GL mode rendering on a GPU. */
  | { readonly mode: GpuJsMode; readonly kind: 'hardware'; readonly renderer: string }
  /** A GL mode rendering with a software rasterizer such as Mesa's llvmpipe or SwiftShader. */
  | { readonly mode: GpuJsMode; readonly kind: 'software'; readonly renderer: string }
  /** gpu.js's WebAssembly or JavaScript mode: always the CPU. */
  | { readonly mode: GpuJsMode; readonly kind: 'cpu' };

/** Why a mode gpu.js cannot run is missing, and whether this kind of environment never has it. */
export interface Unavailability {
  readonly why: string;
  readonly expected: boolean;
}

/**
 * What a runtime can say about the modes gpu.js refuses there. The main entry's
 * explanations hold in any runtime; `@axon/backend-gpu/node` knows more about headless-gl.
 */
export type ExplainUnavailable = (mode: GpuJsMode) => Unavailability;

/** A browser page or worker (where WebGL can exist), as opposed to Node.js and other servers. */
const inBrowser = (): boolean =>
  typeof (globalThis as { document?: unknown }).document !== 'undefined' ||
  typeof (globalThis as { importScripts?: unknown }).importScripts === 'function';

/**
 * The explanations that hold everywhere: headless-gl is Node.js's WebGL, WebGL is a
 * browser's, and gpu.js's WebAssembly mode needs WebAssembly.
 */
export const explainUnavailable: ExplainUnavailable = (mode) => {
  switch (mode) {
    case 'headlessgl':
      return inBrowser()
        ? { why: 'headless-gl is WebGL for Node.js; in a browser use webgl2 or webgl', expected: true }
        : {
            why: "headless-gl did not start (createGpuBackend from '@axon/backend-gpu/node' says why)",
            expected: false,
          };
    case 'webgl2':
    case 'webgl':
      return inBrowser()
        ? {
            why: `this browser gives no ${mode === 'webgl2' ? 'WebGL 2' : 'WebGL'} context (unsupported, disabled, or blocked for this GPU)`,
            expected: false,
          }
        : { why: `${mode} needs a browser's WebGL; in Node use headlessgl`, expected: true };
    default:
      return { why: 'this JavaScript engine has no WebAssembly', expected: false };
  }
};

/**
 * Asks gpu.js whether `mode` works here and, for GL modes, which renderer is behind
 * it. gpu.js's own answer (`GPU.isGPUSupported`) counts its WebAssembly mode and
 * software rasterizers as GPUs, so the renderer string decides instead.
 *
 * @example
 * ```ts
 * probeMode('webgl2');
 * // in Chromium on a laptop: { mode: 'webgl2', kind: 'hardware', renderer: 'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 ...)' }
 * // in headless Chromium:    { mode: 'webgl2', kind: 'software', renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device ...)' }
 * // in Node.js:              { mode: 'webgl2', kind: 'unavailable', why: "webgl2 needs a browser's WebGL; ...", expected: true }
 * ```
 */
export const probeMode = (mode: GpuJsMode, explain: ExplainUnavailable = explainUnavailable): ModeProbe => {
  if (!isModeSupported(mode)) return { mode, kind: 'unavailable', ...explain(mode) };
  if (mode === 'webasm' || mode === 'cpu') return { mode, kind: 'cpu' };
  const context = probeContext(mode);
  // A renderer that cannot be named cannot be claimed to be a GPU.
  if (context === undefined) return { mode, kind: 'software', renderer: 'an unidentified renderer' };
  const renderer = rendererOf(context);
  return { mode, kind: isSoftwareRenderer(renderer) ? 'software' : 'hardware', renderer };
};
