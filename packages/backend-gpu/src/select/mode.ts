import type { GpuJsMode } from '../gpujs/gpujs.js';

/**
 * What a user may ask for: `auto` (a GPU when there is one, else gpu.js's WebAssembly
 * mode), `gpu` (a hardware GPU through any GL mode, or fail), or one gpu.js mode.
 */
export type GpuModeRequest = 'auto' | 'gpu' | GpuJsMode;

/** Every accepted {@link GpuModeRequest}, for option parsers and help text. */
export const gpuModeRequests: readonly GpuModeRequest[] = [
  'auto',
  'gpu',
  'headlessgl',
  'webgl2',
  'webgl',
  'webasm',
  'cpu',
];

/** The GL modes, in the order gpu.js prefers them. */
export const glModes: readonly GpuJsMode[] = ['headlessgl', 'webgl2', 'webgl'];

/**
 * Whether `value` names a {@link GpuModeRequest}.
 *
 * @example
 * ```ts
 * isGpuModeRequest('webasm'); // true
 * isGpuModeRequest('cuda');   // false
 * ```
 */
export const isGpuModeRequest = (value: string): value is GpuModeRequest =>
  (gpuModeRequests as readonly string[]).includes(value);
