/**
 * @axon/backend-gpu/node: the gpu.js backend as Node.js sees it. The same
 * `createGpuBackend` and `probeMode` as the main entry, whose explanations of a missing
 * headlessgl mode name the real cause: the native package `gl` not built, or no X
 * display (run under `xvfb-run -a`).
 *
 * @example
 * ```ts
 * import { createGpuBackend } from '@axon/backend-gpu/node';
 * const choice = createGpuBackend({ mode: 'headlessgl' });
 * // left("no usable gpu.js mode for 'headlessgl': headlessgl is unavailable: headless-gl needs an X display and DISPLAY is unset ...")
 * ```
 */
import type * as E from 'fp-ts/lib/Either.js';
import type { GpuJsMode } from '../gpujs/gpujs.js';
import { probeMode as probeModeExplaining, type ModeProbe } from './probe.js';
import { createGpuBackendExplaining, type GpuBackendChoice, type GpuBackendOptions } from '../select/create.js';
import { explainUnavailableInNode } from './explain-unavailable.js';

export * from '../index.js';
export { explainUnavailableInNode, headlessGlLoadError } from './explain-unavailable.js';

/** `createGpuBackend` of the main entry, explaining a missing headless-gl. */
export const createGpuBackend = (options: GpuBackendOptions = {}): E.Either<string, GpuBackendChoice> =>
  createGpuBackendExplaining(explainUnavailableInNode, options);

/** `probeMode` of the main entry, explaining a missing headless-gl. */
export const probeMode = (mode: GpuJsMode): ModeProbe => probeModeExplaining(mode, explainUnavailableInNode);
