/**
 * @axon/backend-gpu: the gpu.js compute backend for @axon/tensor. Kernels run on a GPU
 * through WebGL where one is usable, and otherwise in gpu.js's WebAssembly or
 * JavaScript modes, with the mode and the reason for it reported honestly.
 *
 * The main entry runs in browsers (bundlers pick gpu.js's browser build) and in
 * Node.js; `@axon/backend-gpu/node` adds what only Node.js can tell: why headless-gl,
 * gpu.js's WebGL for Node.js, is missing.
 *
 * @example
 * ```ts
 * import { createGpuBackend } from '@axon/backend-gpu';
 * import { toBackend } from '@axon/tensor';
 *
 * const choice = createGpuBackend({ mode: 'auto' });
 * if (choice._tag === 'Left') throw new Error(choice.left);
 * const header = `gpu.js ${choice.right.mode}: ${choice.right.reason}`;
 * const params = toBackend(initialParams, choice.right.backend);
 * ```
 */
export type { GpuBackend, GpuMemoryOptions } from './backend/gpu-backend.js';
export type { DeviceUsage } from './device/device.js';
export type { GpuJsMode } from './gpujs/gpujs.js';
export { createGpuBackend, type GpuBackendChoice, type GpuBackendOptions } from './select/create.js';
export { gpuModeRequests, isGpuModeRequest, type GpuModeRequest } from './select/mode.js';
export {
  explainUnavailable,
  probeMode,
  type ExplainUnavailable,
  type ModeProbe,
  type Unavailability,
} from './edge/probe.js';
